/**
 * Deletes expired nonces and idempotency records in the background, in small batches, so the
 * tables stay small without ever holding a request up. Every process may run one; they only
 * delete rows that are already dead.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../domain/clock.js";
import type { Store } from "../store/store.js";
import { IDEMPOTENCY_RETENTION_MS } from "./idempotency.js";

const BATCH = 2000;

export function startPurger(deps: {
  store: Store;
  clock: Clock;
  logger: FastifyBaseLogger;
  maxClockSkewSeconds: number;
  intervalMs: number;
}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const nowMs = deps.clock.now().getTime();
      const nonceCutoff = new Date(nowMs - 2 * deps.maxClockSkewSeconds * 1000).toISOString();
      const keyCutoff = new Date(nowMs - IDEMPOTENCY_RETENTION_MS).toISOString();
      let deleted = BATCH;
      // Keep going while batches come back full, yielding to requests between batches.
      while (deleted >= BATCH) {
        deleted = await deps.store.purgeExpired(nonceCutoff, keyCutoff, BATCH);
        if (deleted > 0) deps.logger.debug({ deleted }, "purged expired nonces and idempotency keys");
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      deps.logger.warn({ err: error }, "purge failed; will retry");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
