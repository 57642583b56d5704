/**
 * `node --import tsx bench/sqlite-wal-growth.ts` (after `npm run build`): issue 12 item 9's WAL
 * question on its own. The built server on a fresh SQLite file, continuous workflow.creates from
 * the bench's load generator for one stage, and every half second the size of the -wal file and
 * the server's CPU time so far. Prints the samples and a summary: the largest WAL, its bytes per
 * create, and the server's CPU per create. Not part of `npm run bench`; a focused repro.
 *
 * Then the bare node:http floor (http-floor.ts) for WAL_FLOOR_S (5) at the same connections.
 * WAL_DURATION_S (30), WAL_CONNECTIONS (32), BENCH_WRK_MAX_RATE (3000 here) and the usual
 * BENCH_LOAD_GENERATOR / BENCH_SERVER_ARGS settings.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { cleanUpAll, cleanUpOnSignals } from "./cleanup.js";
import { readConfig } from "./config.js";
import { createBenchDatabase, migrateBenchDatabase } from "./databases.js";
import { assertBuilt } from "./dist.js";
import { measureHttpFloor } from "./http-floor.js";
import { chooseLoadGenerator } from "./load-generator.js";
import { log } from "./log.js";
import { formatProfile, summariseProfile } from "./profile-summary.js";
import { createRequestFactory } from "./requests.js";
import { createFixture, startServerChild } from "./server-process.js";

interface Sample {
  at_s: number;
  wal_bytes: number;
  server_cpu_ms: number;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  cleanUpOnSignals();
  assertBuilt();
  const durationS = Number(process.env.WAL_DURATION_S ?? 30);
  const connections = Number(process.env.WAL_CONNECTIONS ?? 32);
  const config = readConfig({ BENCH_WRK_MAX_RATE: "3000", ...process.env });
  const loadGenerator = chooseLoadGenerator(config);
  const database = await createBenchDatabase("sqlite", config.postgresAdminUrl);
  if (database.target.kind !== "sqlite") throw new Error("unreachable");
  const walFile = `${database.target.path}-wal`;
  try {
    await migrateBenchDatabase(database);
    const masterKey = randomBytes(32).toString("base64");
    // BENCH_CPU_PROF=1: the server under --cpu-prof, summarised after the stage.
    const profileDir = config.cpuProfile
      ? fs.mkdtempSync(path.join(database.dataDir, "profile-"))
      : undefined;
    const server = await startServerChild({
      database,
      masterKey,
      cpuProfileDir: profileDir,
      extraArgs: config.serverArgs,
    });
    const fixture = await createFixture(database, masterKey);
    const factory = createRequestFactory({ credentials: fixture.credentials, accountId: fixture.accountId });
    const samples: Sample[] = [];
    const started = performance.now();
    const cpuAtStart = server.cpuMs() ?? 0;
    const sample = () =>
      samples.push({
        at_s: Math.round((performance.now() - started) / 100) / 10,
        wal_bytes: fileSize(walFile),
        server_cpu_ms: Math.round((server.cpuMs() ?? 0) - cpuAtStart),
      });
    const sampler = setInterval(sample, 500);
    sample();
    const stage = await loadGenerator.run({
      url: server.url,
      connections,
      durationS,
      factory,
      serverCpuMs: server.cpuMs,
    });
    clearInterval(sampler);
    sample();
    await server.stop();
    const walAfterStop = fileSize(walFile);
    if (profileDir) {
      const files = fs.readdirSync(profileDir).map((f) => path.join(profileDir, f));
      // One profile per thread (serving, writer, checkpointer): where each spends its time.
      for (const file of files) process.stdout.write(`${formatProfile(summariseProfile([file], 8))}\n`);
    }
    // The bare server answers far faster: signed for at the bench's own default rate.
    const floorLoad = chooseLoadGenerator(readConfig({ ...process.env, BENCH_WRK_MAX_RATE: "20000" }));
    const [floor] = await measureHttpFloor(floorLoad, [connections], Number(process.env.WAL_FLOOR_S ?? 5));
    const floorCpu = floor?.server_cpu_ms_per_request ?? null;

    for (const s of samples) {
      process.stdout.write(
        `${s.at_s.toFixed(1).padStart(5)} s  WAL ${(s.wal_bytes / 2 ** 20).toFixed(1).padStart(6)} MiB  ` +
          `server CPU ${s.server_cpu_ms} ms\n`,
      );
    }
    const largest = Math.max(...samples.map((s) => s.wal_bytes));
    const summary = {
      load_generator: loadGenerator.description,
      connections,
      duration_s: stage.duration_s,
      creates_ok: stage.ok,
      non2xx: stage.non2xx,
      errors: stage.errors,
      req_per_s: stage.req_per_s,
      p50_ms: stage.p50_ms,
      p99_ms: stage.p99_ms,
      server_cores: stage.cpu.server_cores,
      server_cpu_ms_per_create: stage.server_cpu_ms_per_request,
      http_floor_req_per_s: floor?.req_per_s ?? null,
      http_floor_cpu_ms_per_request: floorCpu,
      cpu_x_http_floor:
        stage.server_cpu_ms_per_request !== null && floorCpu
          ? Math.round((stage.server_cpu_ms_per_request / floorCpu) * 10) / 10
          : null,
      largest_wal_mib: Math.round((largest / 2 ** 20) * 10) / 10,
      largest_wal_bytes_per_create: Math.round(largest / Math.max(stage.ok, 1)),
      wal_bytes_after_stop: walAfterStop,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (stage.non2xx > 0) log(`non-2xx answers, e.g. ${stage.failures[0] ?? "?"}`);
  } finally {
    await database.drop();
  }
}

let exitCode = 1;
try {
  await main();
  exitCode = 0;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await cleanUpAll();
}
process.exit(exitCode);
