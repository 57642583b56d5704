/** Per-credential token bucket, kept in the database so every server process shares it. */
import type { Clock } from "../domain/clock.js";
import { ApiError } from "../errors.js";
import type { Store } from "../store/store.js";

export interface RateLimit {
  /** Sustained requests per second per credential; 0 turns rate limiting off. */
  perSecond: number;
  /** Requests a credential may make at once after being idle. */
  burst: number;
}

export function isRateLimitOn(limit: RateLimit | undefined): limit is RateLimit {
  return limit !== undefined && limit.perSecond > 0;
}

export async function enforceRateLimit(
  deps: { store: Store; clock: Clock; rateLimit?: RateLimit },
  apiKey: string,
): Promise<void> {
  const limit = deps.rateLimit;
  if (!isRateLimitOn(limit)) return;
  const taken = await deps.store.takeRateToken(
    apiKey,
    deps.clock.now().getTime(),
    limit.perSecond,
    limit.burst,
  );
  if (!taken.allowed) {
    throw new ApiError("RATE_LIMITED", {
      message: "Too many requests for this credential; retry after the Retry-After delay",
      retryAfter: taken.retryAfterSeconds,
    });
  }
}
