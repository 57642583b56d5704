/**
 * `npm run bench`: workflow.create under load, on SQLite and PostgreSQL, against the real built
 * server, next to the database's own floor measured in the same run. Prints a table, writes
 * bench/results/<timestamp>.json and bench/results/latest.json, and exits non-zero if any request
 * got a non-2xx answer or a connection error, or if the rows written do not match the answers.
 * Settings come from BENCH_* environment variables (see config.ts and docs/performance.md).
 * Timing is never asserted in `npm test`; this is where it is measured.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { cleanUpAll, cleanUpOnSignals } from "./cleanup.js";
import { type BenchConfig, type DatabaseKind, machineDescription, readConfig } from "./config.js";
import {
  type BenchDatabase,
  countWorkflows,
  createBenchDatabase,
  migrateBenchDatabase,
  postgresActivity,
  postgresVersion,
  sqliteVersion,
} from "./databases.js";
import { assertBuilt } from "./dist.js";
import { pgbenchAvailable, runPgbenchFloor } from "./floor-pgbench.js";
import { runPostgresFloor } from "./floor-postgres.js";
import type { FloorResult } from "./floor-result.js";
import { runSqliteFloor } from "./floor-sqlite.js";
import { type HttpStageResult, runHttpStage } from "./http-load.js";
import { preload } from "./preload.js";
import { formatProfile, type ProfileSummary, summariseProfile } from "./profile-summary.js";
import {
  type BenchResult,
  floorTableData,
  formatTable,
  httpTableData,
  referenceFloor,
  type ServerActivity,
  withRatios,
  writeResult,
} from "./report.js";
import { createRequestFactory } from "./requests.js";
import { createFixture, processTree, startServerChild } from "./server-process.js";
import { round } from "./stats.js";

const WARMUP_CONNECTIONS = 8;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

type Stage = HttpStageResult & { database: DatabaseKind };

interface DatabaseOutcome {
  serverProcesses: number;
  activity?: ServerActivity;
  stages: Stage[];
  warmup: Stage[];
  floors: FloorResult[];
  problems: string[];
  profile?: ProfileSummary;
}

function describeStage(kind: DatabaseKind, stage: HttpStageResult): string {
  return (
    `[${kind}] ${stage.connections} connections: ${stage.req_per_s.toFixed(0)} req/s, ` +
    `p50 ${stage.p50_ms} ms, p99 ${stage.p99_ms} ms, non-2xx ${stage.non2xx}, errors ${stage.errors}`
  );
}

function stageProblems(kind: DatabaseKind, stage: HttpStageResult, label: string): string[] {
  const problems: string[] = [];
  if (stage.non2xx > 0) {
    problems.push(`${kind} ${label}: ${stage.non2xx} non-2xx responses, e.g. ${stage.failures[0] ?? "?"}`);
  }
  if (stage.errors > 0) problems.push(`${kind} ${label}: ${stage.errors} connection errors or timeouts`);
  return problems;
}

/** The HTTP part: the server child on this database, warm-up, then one stage per connection count. */
async function measureServer(
  kind: DatabaseKind,
  database: BenchDatabase,
  config: BenchConfig,
  /** Where to keep the server's CPU profiles (`<prefix>-<n>.cpuprofile`), or undefined for none. */
  profilePrefix: string | undefined,
): Promise<DatabaseOutcome & { accountId: string }> {
  const masterKey = randomBytes(32).toString("base64");
  const profileDir = profilePrefix ? fs.mkdtempSync(path.join(database.dataDir, "profile-")) : undefined;
  const server = await startServerChild({
    database,
    masterKey,
    cpuProfileDir: profileDir,
    extraArgs: config.serverArgs,
  });
  // With --workers the primary forks its workers as it starts; they are all up once /readyz answers.
  const processes = fs.existsSync("/proc") ? processTree(server.pid).length : 1;
  log(
    `[${kind}] server ${server.pid} ready at ${server.url} (${processes} process${processes > 1 ? "es" : ""})`,
  );
  const fixture = await createFixture(database, masterKey);
  if (config.preload > 0) {
    const started = Date.now();
    log(`[${kind}] preloading ${config.preload} workflows…`);
    await preload(database, fixture.accountId, config.preload);
    log(`[${kind}] preloaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const before = await countWorkflows(database, fixture.accountId);
  const activityBefore =
    database.target.kind === "postgres" ? await postgresActivity(database.target.url) : undefined;
  const factory = createRequestFactory({ credentials: fixture.credentials, accountId: fixture.accountId });
  const outcome: DatabaseOutcome = {
    stages: [],
    warmup: [],
    floors: [],
    problems: [],
    serverProcesses: processes,
  };
  const stage = (connections: number, durationS: number) =>
    runHttpStage({ url: server.url, connections, durationS, factory, serverCpuMs: server.cpuMs });

  if (config.warmupS > 0) {
    const warmup = await stage(WARMUP_CONNECTIONS, config.warmupS);
    outcome.warmup.push({ database: kind, ...warmup });
    outcome.problems.push(...stageProblems(kind, warmup, "warm-up"));
    log(`${describeStage(kind, warmup)} (warm-up, not recorded)`);
  }
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  const window = { fromUs: monotonicUs(), toUs: 0 };
  for (const connections of config.connections) {
    const result = await stage(connections, config.durationS);
    outcome.stages.push({ database: kind, ...result });
    outcome.problems.push(...stageProblems(kind, result, `${connections} connections`));
    log(describeStage(kind, result));
    await sleep(500);
  }
  window.toUs = monotonicUs();
  await server.stop();
  if (server.output.length > 0) log(`[${kind}] server said:\n  ${server.output.slice(-20).join("\n  ")}`);

  // Every 2xx is one new workflow. Requests still in flight when a stage's time was up were not
  // counted by the load generator but may have committed, so the count lies between the two.
  const written = (await countWorkflows(database, fixture.accountId)) - before;
  const all = [...outcome.warmup, ...outcome.stages];
  const answered = all.reduce((sum, s) => sum + s.ok, 0);
  const sent = all.reduce((sum, s) => sum + s.sent, 0);
  if (activityBefore && database.target.kind === "postgres") {
    // Backends publish their counters when they exit; give the server's a moment to go.
    await sleep(1000);
    const after = await postgresActivity(database.target.url);
    const perRequest = (a: number, b: number) => round((a - b) / Math.max(answered, 1), 2);
    outcome.activity = {
      requests: answered,
      transactions_per_request: perRequest(after.transactions, activityBefore.transactions),
      rows_inserted_per_request: perRequest(after.rows_inserted, activityBefore.rows_inserted),
      rows_updated_per_request: perRequest(after.rows_updated, activityBefore.rows_updated),
    };
    log(
      `[${kind}] per successful request: ${outcome.activity.transactions_per_request} transactions, ` +
        `${outcome.activity.rows_inserted_per_request} rows inserted, ` +
        `${outcome.activity.rows_updated_per_request} rows updated`,
    );
  }
  if (written < answered || written > sent) {
    outcome.problems.push(
      `${kind}: ${answered} successful creates (${sent} sent) but ${written} new workflows in the database`,
    );
  }

  if (profileDir && profilePrefix) {
    // One profile per server process (with --workers, the primary and each worker).
    const written = fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"));
    if (written.length > 0) {
      fs.mkdirSync(path.dirname(profilePrefix), { recursive: true });
      const kept = written.map((file, i) => {
        const target = `${profilePrefix}-${i + 1}.cpuprofile`;
        fs.copyFileSync(path.join(profileDir, file), target);
        return target;
      });
      outcome.profile = summariseProfile(kept, 25, window);
    } else {
      log(`[${kind}] the server wrote no CPU profile`);
    }
  }
  return { ...outcome, accountId: fixture.accountId };
}

/** The floor: the same create transaction through the driver, no HTTP, after the server stopped. */
async function measureFloor(
  kind: DatabaseKind,
  database: BenchDatabase,
  accountId: string,
  config: BenchConfig,
): Promise<FloorResult[]> {
  const floors: FloorResult[] = [];
  const record = (floor: FloorResult) => {
    floors.push(floor);
    log(
      `[${kind}] floor ${floor.variant}, ${floor.clients} client(s): ${floor.tps.toFixed(0)} tx/s, ` +
        `p50 ${floor.p50_ms} ms, p99 ${floor.p99_ms} ms${floor.errors ? `, ${floor.errors} errors: ${floor.first_error}` : ""}`,
    );
  };
  if (database.target.kind === "sqlite") {
    for (const synchronous of ["FULL", "NORMAL"] as const) {
      record(
        runSqliteFloor({
          file: database.target.path,
          accountId,
          synchronous,
          durationS: config.floorDurationS,
        }),
      );
    }
    return floors;
  }
  const url = database.target.url;
  const tools = [runPostgresFloor];
  if (config.pgbench && pgbenchAvailable()) tools.push(runPgbenchFloor);
  else log("[postgres] pgbench is not on PATH (or BENCH_PGBENCH=0): floor with pg only");
  for (const tool of tools) {
    for (const variant of ["statements", "cte"] as const) {
      for (const clients of config.floorClients) {
        record(await tool({ url, accountId, variant, clients, durationS: config.floorDurationS }));
      }
    }
  }
  return floors;
}

function gitState(repoRoot: string): BenchResult["git"] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();
  try {
    const changes = git("status", "--porcelain", "--", "src");
    return {
      commit: git("rev-parse", "HEAD"),
      working_tree_changes_in_src: changes ? changes.split("\n").length : 0,
    };
  } catch {
    return { commit: "unknown", working_tree_changes_in_src: -1 };
  }
}

async function main(): Promise<number> {
  const config = readConfig();
  cleanUpOnSignals();
  assertBuilt();
  const startedAt = new Date().toISOString();
  const machine = machineDescription();
  const [load] = os.loadavg();
  if ((load ?? 0) > 0.5 * os.cpus().length) {
    log(`warning: load average ${load?.toFixed(2)} before starting: other work will skew the numbers`);
  }
  const stamp = startedAt.replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
  const versions: Record<string, string> = { autocannon: "8.0.0", sqlite: sqliteVersion() };
  if (config.databases.includes("postgres"))
    versions.postgres = await postgresVersion(config.postgresAdminUrl);
  log(
    `${config.databases.join(" and ")}; ${config.durationS} s per stage at ${config.connections.join("/")} ` +
      `connections; floor ${config.floorDurationS} s at ${config.floorClients.join("/")} clients` +
      (config.preload ? `; ${config.preload} preloaded workflows` : ""),
  );

  const stages: Stage[] = [];
  const warmup: Stage[] = [];
  const floors: FloorResult[] = [];
  const problems: string[] = [];
  const profiles: BenchResult["profiles"] = {};
  const activity: BenchResult["server_activity"] = {};
  const serverProcesses: Partial<Record<DatabaseKind, number>> = {};
  for (const kind of config.databases) {
    const database = await createBenchDatabase(kind, config.postgresAdminUrl);
    try {
      const applied = await migrateBenchDatabase(database);
      log(`[${kind}] migrated a fresh database (${applied.join(", ")})`);
      const profilePrefix = config.cpuProfile
        ? path.join(config.resultsDir, "profiles", `${stamp}-${kind}`)
        : undefined;
      const outcome = await measureServer(kind, database, config, profilePrefix);
      stages.push(...outcome.stages);
      warmup.push(...outcome.warmup);
      problems.push(...outcome.problems);
      if (outcome.profile) profiles[kind] = outcome.profile;
      if (outcome.activity) activity[kind] = outcome.activity;
      serverProcesses[kind] = outcome.serverProcesses;
      const measured = await measureFloor(kind, database, outcome.accountId, config);
      floors.push(...measured);
      for (const floor of measured) {
        if (floor.errors > 0)
          problems.push(`${kind} floor ${floor.variant}: ${floor.errors} errors: ${floor.first_error}`);
      }
    } finally {
      await database.drop();
    }
  }

  const references: BenchResult["reference_floor"] = {};
  for (const kind of config.databases) {
    const reference = referenceFloor(kind, floors);
    if (reference) references[kind] = reference;
  }
  const result: BenchResult = {
    started_at: startedAt,
    finished_at: new Date().toISOString(),
    passed: problems.length === 0,
    problems,
    git: gitState(config.repoRoot),
    machine: { ...machine, load_average_at_end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    versions,
    settings: {
      duration_s: config.durationS,
      warmup_s: config.warmupS,
      floor_duration_s: config.floorDurationS,
      connections: config.connections,
      floor_clients: config.floorClients,
      databases: config.databases,
      preload: config.preload,
      cpu_profile: config.cpuProfile,
      load_generator: "autocannon (in the bench process)",
      server: ["node dist/cli/entry.js serve --log-level warn", ...config.serverArgs].join(" "),
      server_processes: serverProcesses,
      request_mix:
        "50 % BUSINESS_APPLICATION (new subject record, unique email), 50 % ACCOUNT_PROVISIONING (new subject record)",
    },
    http: withRatios(stages, references),
    floor: floors,
    reference_floor: references,
    warmup,
    server_activity: activity,
    profiles,
  };

  process.stdout.write(`\nworkflow.create over HTTP (ratio = req/s ÷ the database's reference floor)\n`);
  process.stdout.write(`${formatTable(httpTableData(result.http))}\n\n`);
  process.stdout.write(`Database floor (the create transaction through the driver, no HTTP)\n`);
  process.stdout.write(`${formatTable(floorTableData(floors))}\n\n`);
  for (const [kind, reference] of Object.entries(references)) {
    process.stdout.write(
      `reference floor, ${kind}: ${reference.variant} at ${reference.clients} client(s), ${reference.tps.toFixed(0)} tx/s\n`,
    );
  }
  for (const [kind, profile] of Object.entries(profiles)) {
    process.stdout.write(`\nserver CPU profile, ${kind}:\n${formatProfile(profile)}\n`);
  }
  const file = writeResult(config.resultsDir, result);
  process.stdout.write(`\nwrote ${file} and ${path.join(path.dirname(file), "latest.json")}\n`);
  if (problems.length > 0) {
    process.stdout.write(`\nFAILED:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 1;
  }
  return 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await cleanUpAll();
}
process.exit(exitCode);
