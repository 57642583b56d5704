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
  /** Creates written by each transaction (1 but in the batched SQLite floor). */
  creates_per_transaction: number;
  /**
   * The floor driver's own CPU per create, in ms: all of the database's work for SQLite, which
   * runs in the driver's process; null for PostgreSQL, whose work is in its server.
   */
  driver_cpu_ms_per_create: number | null;
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
  createsPerTransaction?: number;
}): FloorResult {
  const creates = measured.latenciesMs.length * (measured.createsPerTransaction ?? 1);
  const driverCpuMs = measured.cpu ? measured.cpu.bench_process_cores * measured.elapsedS * 1000 : null;
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
    creates_per_transaction: measured.createsPerTransaction ?? 1,
    driver_cpu_ms_per_create:
      measured.database === "sqlite" && driverCpuMs !== null && creates > 0
        ? round(driverCpuMs / creates, 3)
        : null,
  };
}
