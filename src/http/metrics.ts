/**
 * Prometheus metrics of one process: requests by method and outcome, their latency, error
 * responses by code, authentication failures by sub-code, and the database's connection load.
 *
 * With `--workers N` each worker keeps its own registry and the primary adds them up at scrape
 * time (cluster-metrics.ts). Each metric's `aggregator` says how: counters and histograms are
 * summed; a gauge says what adding up means for it (docs/decisions.md, "Metrics across workers").
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { StoreLoad } from "../store/store.js";

/** What one answered request adds to the metrics. */
export interface ObservedRequest {
  /** The API method (`workflow.create`), or undefined for a path that is not one. */
  method: string | undefined;
  status: number;
  /** The error envelope's code and sub-code, when the answer was one. */
  errorCode: string | undefined;
  subCode: string | null | undefined;
  seconds: number;
}

export interface Metrics {
  registry: Registry;
  observe(request: ObservedRequest): void;
}

const AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED";

export function createMetrics(options: { load?: () => StoreLoad } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "vetted_requests_total",
    help: "API requests by method and HTTP status",
    labelNames: ["method", "code"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "vetted_request_duration_seconds",
    help: "API request latency by method",
    labelNames: ["method"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // By the envelope's code, not the HTTP status (vetted_requests_total has that): two codes can
  // share a status (400 is BAD_REQUEST and SYSTEM_RULE_VIOLATION…). Paths that are no method count too.
  const errors = new Counter({
    name: "vetted_error_responses_total",
    help: "Error responses by the envelope's error code",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  const authFailures = new Counter({
    name: "vetted_auth_failures_total",
    help: "Requests refused with AUTHENTICATION_FAILED, by sub-code",
    labelNames: ["sub_code"] as const,
    registers: [registry],
  });
  if (options.load) registerLoadGauges(registry, options.load);
  return {
    registry,
    observe({ method, status, errorCode, subCode, seconds }) {
      if (method) {
        requests.inc({ method, code: String(status) });
        duration.observe({ method }, seconds);
      }
      if (errorCode) {
        errors.inc({ code: errorCode });
        if (errorCode === AUTHENTICATION_FAILED) authFailures.inc({ sub_code: subCode ?? "NONE" });
      }
    },
  };
}

/**
 * The database connection gauges, read at scrape time. Summed across workers: each worker has a
 * pool of its own, so the server's connections are the sum of theirs.
 */
function registerLoadGauges(registry: Registry, load: () => StoreLoad): void {
  // Only the gauges of this store's kind: a PostgreSQL server shows no SQLite queue.
  const kind = load();
  if (kind.pool) {
    new Gauge({
      name: "vetted_db_pool_connections",
      help: "PostgreSQL pool connections by state (total open, idle) and queries waiting for one",
      labelNames: ["state"] as const,
      aggregator: "sum",
      registers: [registry],
      collect() {
        const pool = load().pool;
        if (!pool) return;
        this.set({ state: "total" }, pool.total);
        this.set({ state: "idle" }, pool.idle);
        this.set({ state: "waiting" }, pool.waiting);
      },
    });
  }
  if (kind.writerQueue !== undefined) {
    new Gauge({
      name: "vetted_sqlite_writer_queue",
      help: "SQLite: calls sent to the writer thread and not yet answered",
      aggregator: "sum",
      registers: [registry],
      collect() {
        this.set(load().writerQueue ?? 0);
      },
    });
  }
}
