/**
 * Prometheus metrics of webhook delivery: attempts by outcome, their latency, and the age of the
 * oldest pending delivery — read from the database at scrape time (one indexed MIN), so it tells
 * the truth across every process sharing the database.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Clock } from "../domain/clock.js";

export type DeliveryOutcomeLabel = "succeeded" | "failed-attempt" | "failed-final" | "refused";

export interface DeliveryMetrics {
  attempt(outcome: DeliveryOutcomeLabel, latencySeconds: number): void;
}

export function createDeliveryMetrics(
  registry: Registry,
  oldestPending: () => Promise<string | undefined>,
  clock: Clock,
): DeliveryMetrics {
  const outcomes = new Counter({
    name: "vetted_webhook_deliveries_total",
    help: "Webhook attempts by outcome (failed-final: the attempt that made its delivery FAILED)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "vetted_webhook_attempt_duration_seconds",
    help: "Webhook attempt latency, from the request's start to its answer or failure",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: "vetted_webhook_oldest_pending_seconds",
    help: "Age of the oldest PENDING webhook delivery's event (0 when none is pending)",
    // Every worker reads the same database: across workers the oldest is the largest, not a sum.
    aggregator: "max",
    registers: [registry],
    async collect() {
      try {
        const oldest = await oldestPending();
        this.set(oldest ? Math.max(0, (clock.now().getTime() - Date.parse(oldest)) / 1000) : 0);
      } catch {
        // A database that cannot answer leaves the last value; /metrics itself still answers.
      }
    },
  });
  return {
    attempt(outcome, latencySeconds) {
      outcomes.inc({ outcome });
      latency.observe(latencySeconds);
    },
  };
}
