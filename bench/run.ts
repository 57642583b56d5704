/**
 * `npm run bench`: workflow.create under load, on SQLite and PostgreSQL, against the real built
 * server, next to the database's own floor measured in the same run; then merchants onboarded end
 * to end (bench/onboarding.ts). BENCH_SCENARIOS=create or =onboarding runs one of the two. Prints
 * tables, writes bench/results/<timestamp>.json and bench/results/latest.json, and exits non-zero
 * if any request got a non-2xx answer or a connection error, or if the rows written do not match
 * the answers.
 * Settings come from BENCH_* environment variables (see config.ts and docs/performance.md).
 * Timing is never asserted in `npm test`; this is where it is measured.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { cleanUpAll, cleanUpOnSignals } from "./cleanup.js";
import { type BenchConfig, type DatabaseKind, machineDescription, readConfig } from "./config.js";
import {
  type BenchDatabase,
  createBenchDatabase,
  migrateBenchDatabase,
  postgresVersion,
  sqliteVersion,
} from "./databases.js";
import { assertBuilt } from "./dist.js";
import { pgbenchAvailable, runPgbenchFloor } from "./floor-pgbench.js";
import { runPostgresFloor } from "./floor-postgres.js";
import type { FloorResult } from "./floor-result.js";
import { runSqliteFloor } from "./floor-sqlite.js";
import { measureHttpFloor } from "./http-floor.js";
import type { HttpStageResult } from "./http-load.js";
import { chooseLoadGenerator } from "./load-generator.js";
import { log } from "./log.js";
import { measureOnboarding, type OnboardingStage, REQUESTS_PER_MERCHANT } from "./onboarding.js";
import { formatProfile } from "./profile-summary.js";
import {
  type BenchResult,
  floorTableData,
  formatTable,
  httpTableData,
  onboardingTableData,
  onboardingWithRatios,
  referenceFloor,
  withRatios,
  writeResult,
} from "./report.js";
import { measureServer, type Stage } from "./server-phase.js";

/** Requests per second wrk may send to the bare node:http floor (it did 15,000 on one connection). */
const HTTP_FLOOR_MAX_RATE = 60_000;

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
        (floor.driver_cpu_ms_per_create === null
          ? ""
          : `${floor.driver_cpu_ms_per_create} ms of CPU per create, `) +
        `p50 ${floor.p50_ms} ms, p99 ${floor.p99_ms} ms${floor.errors ? `, ${floor.errors} errors: ${floor.first_error}` : ""}`,
    );
  };
  if (database.target.kind === "sqlite") {
    const file = database.target.path;
    const durationS = config.floorDurationS;
    for (const synchronous of ["FULL", "NORMAL"] as const) {
      record(runSqliteFloor({ file, accountId, synchronous, durationS }));
    }
    // What a create costs SQLite itself when commits are shared, as the group commit shares them.
    record(runSqliteFloor({ file, accountId, synchronous: "FULL", durationS, perTransaction: 32 }));
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

function httpFloorProblems(stage: HttpStageResult): string[] {
  if (stage.non2xx === 0 && stage.errors === 0) return [];
  return [`http floor, ${stage.connections} connections: ${stage.non2xx} non-2xx, ${stage.errors} errors`];
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
  const loadGenerator = chooseLoadGenerator(config);
  const versions: Record<string, string> = {
    [loadGenerator.name]: loadGenerator.version,
    sqlite: sqliteVersion(),
  };
  if (config.databases.includes("postgres"))
    versions.postgres = await postgresVersion(config.postgresAdminUrl);
  const runCreate = config.scenarios.includes("create");
  const runOnboarding = config.scenarios.includes("onboarding");
  log(
    `${config.databases.join(" and ")}; ` +
      (runCreate
        ? `${config.durationS} s per stage at ${config.connections.join("/")} connections; ` +
          `floor ${config.floorDurationS} s at ${config.floorClients.join("/")} clients` +
          (config.preload ? `; ${config.preload} preloaded workflows` : "") +
          `; load from ${loadGenerator.name} ${loadGenerator.version}`
        : "") +
      (runCreate && runOnboarding ? "; then " : "") +
      (runOnboarding
        ? `onboarding ${config.onboardingDurationS} s per stage at ${config.onboardingLoops.join("/")} loops`
        : ""),
  );

  const stages: Stage[] = [];
  const warmup: Stage[] = [];
  const onboarding: OnboardingStage[] = [];
  const onboardingWarmup: OnboardingStage[] = [];
  const floors: FloorResult[] = [];
  const problems: string[] = [];
  const profiles: BenchResult["profiles"] = {};
  const activity: BenchResult["server_activity"] = {};
  const serverProcesses: Partial<Record<DatabaseKind, number>> = {};
  // The bare node:http floor first, with the same load generator and connection counts.
  // It answers several times faster than the server, so wrk is given more requests per second to
  // send (it must never run out mid-stage), and shorter stages keep that signing affordable.
  const floorLoad = chooseLoadGenerator({
    ...config,
    wrkMaxRate: Math.max(config.wrkMaxRate, HTTP_FLOOR_MAX_RATE),
  });
  // The onboarding scenario is compared with it at as many connections as it has loops.
  const floorConnections = [
    ...new Set([...(runCreate ? config.connections : []), ...(runOnboarding ? config.onboardingLoops : [])]),
  ].sort((a, b) => a - b);
  const httpFloor = await measureHttpFloor(floorLoad, floorConnections, Math.min(config.floorDurationS, 5));
  for (const stage of httpFloor) problems.push(...httpFloorProblems(stage));
  for (const kind of config.databases) {
    const database = await createBenchDatabase(kind, config.postgresAdminUrl);
    try {
      const applied = await migrateBenchDatabase(database);
      log(`[${kind}] migrated a fresh database (${applied.join(", ")})`);
      // One master key per database: the onboarding server opens what the create phase sealed.
      const masterKey = randomBytes(32).toString("base64");
      if (runCreate) {
        const profilePrefix = config.cpuProfile
          ? path.join(config.resultsDir, "profiles", `${stamp}-${kind}`)
          : undefined;
        const outcome = await measureServer(kind, database, config, profilePrefix, loadGenerator, masterKey);
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
      }
      if (runOnboarding) {
        // After the create stages and their floor, so neither sees the onboarding's rows.
        const phase = await measureOnboarding(kind, database, config, masterKey);
        onboarding.push(...phase.stages);
        onboardingWarmup.push(...phase.warmup);
        problems.push(...phase.problems);
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
      scenarios: config.scenarios,
      connections: config.connections,
      onboarding_loops: config.onboardingLoops,
      onboarding_duration_s: config.onboardingDurationS,
      onboarding:
        `per merchant, with the typed client (fetch) in the bench process: onboardSampleMerchant ` +
        `(src/cli/sample-merchant.ts), workflow.canComplete, workflow.complete: ${REQUESTS_PER_MERCHANT} requests`,
      floor_clients: config.floorClients,
      databases: config.databases,
      preload: config.preload,
      cpu_profile: config.cpuProfile,
      load_generator: loadGenerator.description,
      server: ["node dist/cli/entry.js serve --log-level warn", ...config.serverArgs].join(" "),
      server_processes: serverProcesses,
      request_mix:
        "50 % BUSINESS_APPLICATION (new subject record, unique email), 50 % ACCOUNT_PROVISIONING (new subject record)",
    },
    http: withRatios(stages, references, httpFloor),
    floor: floors,
    reference_floor: references,
    http_floor: httpFloor,
    warmup,
    onboarding: onboardingWithRatios(onboarding, httpFloor),
    onboarding_warmup: onboardingWarmup,
    server_activity: activity,
    profiles,
  };

  if (runCreate) {
    process.stdout.write(
      `\nworkflow.create over HTTP (ratio = req/s ÷ the database's reference floor; × http cpu = server CPU per create ÷ the bare node:http server's CPU per request; × http serving = the same for the server's main threads alone)\n`,
    );
    process.stdout.write(`${formatTable(httpTableData(result.http))}\n\n`);
    process.stdout.write(`Database floor (the create transaction through the driver, no HTTP)\n`);
    process.stdout.write(`${formatTable(floorTableData(floors))}\n\n`);
  }
  if (runOnboarding) {
    process.stdout.write(
      `\nMerchants onboarded end to end, ${REQUESTS_PER_MERCHANT} requests each (p50/p99 per merchant; × http cpu = server CPU per merchant ÷ the bare node:http server's CPU per request)\n`,
    );
    process.stdout.write(`${formatTable(onboardingTableData(result.onboarding ?? []))}\n\n`);
  }
  for (const [kind, reference] of Object.entries(references)) {
    process.stdout.write(
      `reference floor, ${kind}: ${reference.variant} at ${reference.clients} client(s), ${reference.tps.toFixed(0)} tx/s\n`,
    );
  }
  for (const [kind, profile] of Object.entries(profiles)) {
    process.stdout.write(`\nserver CPU profile, ${kind}:\n${formatProfile(profile)}\n`);
  }
  const file = writeResult(config.resultsDir, result, config.preload);
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
