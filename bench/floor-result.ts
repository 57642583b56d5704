/** One floor measurement's record, and how a latency list becomes one. */
import type { DatabaseKind } from "./config.js";
import { type CpuSpan, round, summarise } from "./stats.js";

export interface FloorResult {
  database: DatabaseKind;
  /** What ran: `pg statements`, `pg cte`, `pgbench cte`, `sqlite synchronous=FULL`, … */
  variant: string;
  clients: number;
  duration_s: number;
  transactions: number;
  tps: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  errors: number;
  first_error: string | null;
  cpu: CpuSpan | null;
}

export function floorResult(measured: {
  database: DatabaseKind;
  variant: string;
  clients: number;
  elapsedS: number;
  /** One entry per committed transaction. */
  latenciesMs: number[];
  errors: number;
  firstError: string | null;
  cpu: CpuSpan | null;
  /** The tool's own figure when it has one (pgbench); else transactions ÷ elapsed time. */
  tps?: number;
}): FloorResult {
  return {
    database: measured.database,
    variant: measured.variant,
    clients: measured.clients,
    duration_s: round(measured.elapsedS, 3),
    transactions: measured.latenciesMs.length,
    tps: round(measured.tps ?? measured.latenciesMs.length / measured.elapsedS, 1),
    ...summarise(measured.latenciesMs),
    errors: measured.errors,
    first_error: measured.firstError,
    cpu: measured.cpu,
  };
}
