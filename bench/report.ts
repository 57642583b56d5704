/** The bench's result: one record per HTTP stage and per floor measurement, a table, and the JSON file. */
import fs from "node:fs";
import path from "node:path";
import type { DatabaseKind } from "./config.js";
import type { FloorResult } from "./floor-result.js";
import type { HttpStageResult } from "./http-load.js";
import type { OnboardingStage } from "./onboarding.js";
import type { ProfileSummary } from "./profile-summary.js";
import { round } from "./stats.js";

export interface HttpRow extends HttpStageResult {
  database: DatabaseKind;
  /** PostgreSQL: checkpoints that started during the stage. */
  checkpoints?: number;
  /** The reference floor's transactions per second (see `reference_floor`). */
  floor_tps: number | null;
  ratio_to_floor: number | null;
  /**
   * The server's CPU per create ÷ the bare node:http server's CPU per request at the same
   * connections in the same run (`http_floor`; issue 12 item 9, goal ≤ 3).
   */
  cpu_x_http_floor: number | null;
  /** The same for the server's main threads alone: the HTTP serving part of the multiple. */
  serving_x_http_floor: number | null;
}

export interface OnboardingRow extends OnboardingStage {
  /** The bare node:http server's CPU per request at as many connections as loops, same run; or null. */
  http_floor_cpu_ms_per_request: number | null;
  /** server_cpu_ms_per_merchant ÷ http_floor_cpu_ms_per_request: a merchant costs this many bare requests. */
  cpu_x_http_floor: number | null;
}

/** What the server asked of PostgreSQL per successful create (whole HTTP phase, warm-up included). */
export interface ServerActivity {
  requests: number;
  /** Statements outside a transaction count one each. */
  transactions_per_request: number;
  rows_inserted_per_request: number;
  rows_updated_per_request: number;
}

export interface ReferenceFloor {
  variant: string;
  clients: number;
  tps: number;
}

export interface BenchResult {
  started_at: string;
  finished_at: string;
  passed: boolean;
  problems: string[];
  git: { commit: string; working_tree_changes_in_src: number };
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  settings: Record<string, unknown>;
  http: HttpRow[];
  floor: FloorResult[];
  /**
   * What `ratio_to_floor` divides by, per database: PostgreSQL, the best one-statement (CTE)
   * floor of the run, by pg or pgbench; SQLite, one transaction per create with synchronous=FULL.
   */
  reference_floor: Partial<Record<DatabaseKind, ReferenceFloor>>;
  /** The bare node:http server under the same load generator, one stage per connection count. */
  http_floor: HttpStageResult[];
  warmup: (HttpStageResult & { database: DatabaseKind })[];
  /** The onboarding scenario, one row per database and loop count (absent from older results). */
  onboarding?: OnboardingRow[];
  onboarding_warmup?: OnboardingStage[];
  server_activity: Partial<Record<DatabaseKind, ServerActivity>>;
  profiles: Partial<Record<DatabaseKind, ProfileSummary>>;
}

export function referenceFloor(database: DatabaseKind, floors: FloorResult[]): ReferenceFloor | undefined {
  const candidates = floors.filter((f) =>
    database === "postgres"
      ? f.database === "postgres" && f.variant.endsWith("cte") && f.errors === 0
      : f.database === "sqlite" && f.variant === "sqlite synchronous=FULL",
  );
  const best = candidates.sort((a, b) => b.tps - a.tps)[0];
  return best && { variant: best.variant, clients: best.clients, tps: best.tps };
}

export function withRatios(
  stages: (HttpStageResult & { database: DatabaseKind; checkpoints?: number })[],
  references: BenchResult["reference_floor"],
  httpFloor: HttpStageResult[] = [],
): HttpRow[] {
  return stages.map((stage) => {
    const floor = references[stage.database]?.tps ?? null;
    const floorCpu = httpFloor.find((f) => f.connections === stage.connections)?.server_cpu_ms_per_request;
    const cpu = stage.server_cpu_ms_per_request;
    const serving = stage.serving_thread_cpu_ms_per_request;
    return {
      ...stage,
      floor_tps: floor,
      ratio_to_floor: floor ? round(stage.req_per_s / floor, 2) : null,
      cpu_x_http_floor: cpu !== null && floorCpu ? round(cpu / floorCpu, 1) : null,
      serving_x_http_floor: serving !== null && floorCpu ? round(serving / floorCpu, 1) : null,
    };
  });
}

export function onboardingWithRatios(
  stages: OnboardingStage[],
  httpFloor: HttpStageResult[],
): OnboardingRow[] {
  return stages.map((stage) => {
    const floorCpu = httpFloor.find((f) => f.connections === stage.loops)?.server_cpu_ms_per_request ?? null;
    const cpu = stage.server_cpu_ms_per_merchant;
    return {
      ...stage,
      http_floor_cpu_ms_per_request: floorCpu,
      cpu_x_http_floor: cpu !== null && floorCpu ? round(cpu / floorCpu, 1) : null,
    };
  });
}

type Cell = string | number | null;

/** A table's header and cells, shared by the terminal table and the Markdown one. */
export interface TableData {
  header: string[];
  rows: Cell[][];
}

/** Results written before a column existed lack it: shown as "-". */
const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined ? null : value.toFixed(digits);

export function httpTableData(rows: HttpRow[]): TableData {
  return {
    header: [
      "database",
      "conns",
      "req/s",
      "p50 ms",
      "p99 ms",
      "non-2xx",
      "errors",
      "floor/s",
      "ratio",
      "srv ms/req",
      "× http cpu",
      "× http serving",
      "db ms/req",
      "cpu ms/req",
      "db ckpts",
    ],
    rows: rows.map((r) => [
      r.database,
      r.connections,
      r.req_per_s.toFixed(0),
      r.p50_ms,
      r.p99_ms,
      r.non2xx,
      r.errors,
      fixed(r.floor_tps, 0),
      fixed(r.ratio_to_floor, 2),
      fixed(r.server_cpu_ms_per_request, 2),
      fixed(r.cpu_x_http_floor, 1),
      fixed(r.serving_x_http_floor, 1),
      fixed(r.database_cpu_ms_per_request, 2),
      fixed(r.machine_cpu_ms_per_request, 2),
      r.checkpoints ?? null,
    ]),
  };
}

export function onboardingTableData(rows: OnboardingRow[]): TableData {
  return {
    header: [
      "database",
      "loops",
      "merchants/s",
      "p50 ms",
      "p99 ms",
      "req/s",
      "failed",
      "srv ms/merchant",
      "× http cpu",
      "db ms/merchant",
      "cpu ms/merchant",
    ],
    rows: rows.map((r) => [
      r.database,
      r.loops,
      r.merchants_per_s.toFixed(1),
      r.p50_ms,
      r.p99_ms,
      r.req_per_s.toFixed(0),
      r.failed_requests + r.not_completable,
      fixed(r.server_cpu_ms_per_merchant, 2),
      fixed(r.cpu_x_http_floor, 1),
      fixed(r.database_cpu_ms_per_merchant, 2),
      fixed(r.machine_cpu_ms_per_merchant, 2),
    ]),
  };
}

export function floorTableData(floors: FloorResult[]): TableData {
  return {
    header: [
      "database",
      "floor",
      "clients",
      "tx/s",
      "creates/s",
      "p50 ms",
      "p99 ms",
      "max ms",
      "errors",
      "cpu ms/create",
    ],
    rows: floors.map((f) => [
      f.database,
      f.variant,
      f.clients,
      f.tps.toFixed(0),
      // Results written before the batched floor (bench/markdown.ts reads old files) lack both.
      (f.tps * (f.creates_per_transaction ?? 1)).toFixed(0),
      f.p50_ms,
      f.p99_ms,
      f.max_ms,
      f.errors,
      f.driver_cpu_ms_per_create ?? null,
    ]),
  };
}

/** Plain-text table: the first two columns left-aligned, numbers right-aligned. */
export function formatTable({ header, rows }: TableData): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? "-" : String(cell))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [
    line(cells[0] as string[]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.slice(1).map(line),
  ].join("\n");
}

/** 1000000 → "1m", 250000 → "250k": how a preload is named in a result file's name. */
function countLabel(count: number): string {
  if (count % 1_000_000 === 0) return `${count / 1_000_000}m`;
  if (count % 1_000 === 0) return `${count / 1_000}k`;
  return String(count);
}

/**
 * Writes `<dir>/<ISO timestamp>.json` (`…-preload-1m.json` for a run over preloaded workflows) and
 * `<dir>/latest.json`; returns the first path.
 */
export function writeResult(dir: string, result: BenchResult, preload = 0): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = result.started_at.replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
  const suffix = preload > 0 ? `-preload-${countLabel(preload)}` : "";
  const file = path.join(dir, `${stamp}${suffix}.json`);
  const text = `${JSON.stringify(result, null, 2)}\n`;
  // Written then renamed, so an interrupted write never leaves a truncated latest.json.
  for (const target of [file, path.join(dir, "latest.json")]) {
    fs.writeFileSync(`${target}.tmp`, text);
    fs.renameSync(`${target}.tmp`, target);
  }
  return file;
}
