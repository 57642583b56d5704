/** Prometheus metrics: requests by method and outcome, and their latency. */
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  observe(method: string, code: string, seconds: number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "vetted_requests_total",
    help: "API requests by method and result code",
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
  return {
    registry,
    observe(method, code, seconds) {
      requests.inc({ method, code });
      duration.observe({ method }, seconds);
    },
  };
}
