/**
 * The bench's settings, read once from the environment. Defaults give a full run in about five
 * minutes on a 2-core machine: 10 s per measurement, HTTP at 1/8/32/64 connections on SQLite and
 * PostgreSQL, and the database floors at 1/8/32 clients; then merchants onboarded end to end by
 * 8 and 32 concurrent loops.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type DatabaseKind = "sqlite" | "postgres";

/** What a run measures: workflow.create under load (with its floors), and merchants onboarded end to end. */
export type Scenario = "create" | "onboarding";
const SCENARIOS: readonly Scenario[] = ["create", "onboarding"];

export interface BenchConfig {
  /** Seconds each measured HTTP stage and each floor measurement lasts. */
  durationS: number;
  /** Seconds of unrecorded load before the first HTTP stage of each database (JIT, caches, pool). */
  warmupS: number;
  floorDurationS: number;
  connections: number[];
  floorClients: number[];
  databases: DatabaseKind[];
  /** A database on the PostgreSQL server to connect to while creating and dropping the bench database. */
  postgresAdminUrl: string;
  /** Workflows (with their subject records and events) inserted before measuring. */
  preload: number;
  /** Run the server child under `node --cpu-prof` and summarise where its CPU time went. */
  cpuProfile: boolean;
  /** More `vetted serve` flags (BENCH_SERVER_ARGS, split on spaces), e.g. `--workers 2`. */
  serverArgs: string[];
  /** wrk when it is on PATH, else autocannon ("auto"), or the one BENCH_LOAD_GENERATOR names. */
  loadGenerator: "auto" | "wrk" | "autocannon";
  /** With wrk: requests signed per second of a stage, the most it could send (BENCH_WRK_MAX_RATE). */
  wrkMaxRate: number;
  /**
   * With wrk: its threads (BENCH_WRK_THREADS). One by default: one thread sent 2,800 req/s on
   * 0.09 core, and two used more CPU for the same throughput.
   */
  wrkThreads: number;
  /** BENCH_SCENARIOS: which scenarios run, in this order on each database (both by default). */
  scenarios: Scenario[];
  /** The onboarding scenario: concurrent onboarding loops, one stage per count (BENCH_ONBOARDING_LOOPS). */
  onboardingLoops: number[];
  /** Seconds each onboarding stage lasts (BENCH_ONBOARDING_DURATION_S). */
  onboardingDurationS: number;
  /** Also run the floor with pgbench when it is on PATH. */
  pgbench: boolean;
  resultsDir: string;
  repoRoot: string;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function positiveNumber(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function integerList(name: string, fallback: number[], env: NodeJS.ProcessEnv): number[] {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`${name} must be a comma-separated list of positive integers, got "${raw}"`);
  }
  return values;
}

function flag(name: string, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  return raw !== undefined && raw !== "" && raw !== "0" && raw !== "false";
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const durationS = positiveNumber("BENCH_DURATION_S", 10, env);
  const databases = (env.BENCH_DATABASES ?? "sqlite,postgres")
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "");
  for (const database of databases) {
    if (database !== "sqlite" && database !== "postgres") {
      throw new Error(`BENCH_DATABASES may name sqlite and postgres, got "${database}"`);
    }
  }
  const scenarios = (env.BENCH_SCENARIOS || SCENARIOS.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const scenario of scenarios) {
    if (!SCENARIOS.includes(scenario as Scenario)) {
      throw new Error(`BENCH_SCENARIOS may name ${SCENARIOS.join(" and ")}, got "${scenario}"`);
    }
  }
  const loadGenerator = env.BENCH_LOAD_GENERATOR || "auto";
  if (loadGenerator !== "auto" && loadGenerator !== "wrk" && loadGenerator !== "autocannon") {
    throw new Error(`BENCH_LOAD_GENERATOR may be wrk, autocannon or auto, got "${loadGenerator}"`);
  }
  return {
    durationS,
    warmupS: positiveNumber("BENCH_WARMUP_S", 3, env),
    floorDurationS: positiveNumber("BENCH_FLOOR_DURATION_S", durationS, env),
    connections: integerList("BENCH_CONNECTIONS", [1, 8, 32, 64], env),
    floorClients: integerList("BENCH_FLOOR_CLIENTS", [1, 8, 32], env),
    databases: databases as DatabaseKind[],
    postgresAdminUrl: env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    preload: Math.floor(positiveNumber("BENCH_PRELOAD", 0, env)),
    cpuProfile: flag("BENCH_CPU_PROF", env),
    serverArgs: (env.BENCH_SERVER_ARGS ?? "").split(" ").filter((arg) => arg !== ""),
    loadGenerator,
    wrkMaxRate: positiveNumber("BENCH_WRK_MAX_RATE", 20000, env),
    wrkThreads: Math.max(1, Math.floor(positiveNumber("BENCH_WRK_THREADS", 1, env))),
    // In the order the run takes them, whatever order the variable gave.
    scenarios: SCENARIOS.filter((s) => scenarios.includes(s)),
    onboardingLoops: integerList("BENCH_ONBOARDING_LOOPS", [8, 32], env),
    onboardingDurationS: positiveNumber("BENCH_ONBOARDING_DURATION_S", durationS, env),
    pgbench: env.BENCH_PGBENCH === undefined ? true : flag("BENCH_PGBENCH", env),
    resultsDir: env.BENCH_RESULTS_DIR ?? path.join(REPO_ROOT, "bench", "results"),
    repoRoot: REPO_ROOT,
  };
}

/** What the JSON records about the machine the numbers come from. */
export function machineDescription() {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model ?? "unknown",
    cpu_count: cpus.length,
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    /** 1/5/15-minute load averages when the run started: other work on the box skews every number. */
    load_average_at_start: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
