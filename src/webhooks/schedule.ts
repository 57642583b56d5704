/**
 * When a delivery's next attempt is due (webhooks.md "Delivery"): after min(2^n, 3600) seconds,
 * n = attempts made so far, ±20 % jitter so that the retries of many deliveries failed together
 * do not all come back at once; after the 95th retry (the 96th attempt) the delivery is FAILED.
 */
import type { DeliveryFinish } from "../store/store.js";

export const MAX_ATTEMPTS = 96;
export const MAX_RETRY_DELAY_S = 3600;
export const JITTER = 0.2;
/** Deliveries still pending this long after their event expire (docs/webhooks.md "Delivery"). */
export const DELIVERY_EXPIRY_MS = 7 * 24 * 3600 * 1000;

/** The wait before the next attempt, `attemptsSoFar` ≥ 1; `random` gives [0, 1). */
export function retryDelayMs(attemptsSoFar: number, random: () => number): number {
  const base = Math.min(2 ** attemptsSoFar, MAX_RETRY_DELAY_S) * 1000;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** What becomes of a delivery whose attempt `attemptNumber` (from 0) failed at `nowMs`. */
export function afterFailedAttempt(
  attemptNumber: number,
  nowMs: number,
  random: () => number,
): DeliveryFinish["next"] {
  const attemptsSoFar = attemptNumber + 1;
  if (attemptsSoFar >= MAX_ATTEMPTS) return { status: "FAILED" };
  return {
    status: "PENDING",
    nextAttemptAt: new Date(nowMs + retryDelayMs(attemptsSoFar, random)).toISOString(),
  };
}
