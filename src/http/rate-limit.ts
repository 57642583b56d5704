/**
 * Per-credential token buckets. By default each server process keeps its buckets in memory, so
 * the limit costs no database write; `shared` keeps them in the database instead, one upsert per
 * request, for an exact limit across every process on one database.
 */
import type { Config } from "../config.js";
import type { Clock } from "../domain/clock.js";
import { ApiError } from "../errors.js";
import type { Store } from "../store/store.js";

export interface RateLimit {
  /** Sustained requests per second per credential; 0 turns rate limiting off. */
  perSecond: number;
  /** Requests a credential may make at once after being idle. */
  burst: number;
  /** Keep the buckets in the database, shared by every process, instead of in this process. */
  shared?: boolean;
}

export interface RateLimiter {
  /** Whether taking a token writes to the database (a revoked credential's request must not). */
  readonly writes: boolean;
  /** Takes one token for the credential, or throws RATE_LIMITED with a Retry-After. */
  take(apiKey: string): Promise<void> | undefined;
}

/** The limit `vetted serve` runs with (config.ts gives the defaults). */
export function rateLimitOf(
  config: Pick<Config, "rateLimitPerSecond" | "rateLimitBurst" | "rateLimitShared">,
): RateLimit {
  return {
    perSecond: config.rateLimitPerSecond,
    burst: config.rateLimitBurst,
    shared: config.rateLimitShared,
  };
}

/** An idle bucket refills to full; past this many buckets the full ones are dropped. */
const PRUNE_ABOVE = 10_000;

function rateLimited(retryAfterSeconds: number): ApiError {
  return new ApiError("RATE_LIMITED", {
    message: "Too many requests for this credential; retry after the Retry-After delay",
    retryAfter: retryAfterSeconds,
  });
}

function inProcessLimiter(limit: RateLimit, clock: Clock): RateLimiter {
  const buckets = new Map<string, { tokens: number; refilledMs: number }>();
  const fullAfterMs = (limit.burst / limit.perSecond) * 1000;
  const prune = (nowMs: number) => {
    for (const [apiKey, bucket] of buckets) {
      if (nowMs - bucket.refilledMs >= fullAfterMs) buckets.delete(apiKey);
    }
  };
  return {
    writes: false,
    take(apiKey) {
      const nowMs = clock.now().getTime();
      let bucket = buckets.get(apiKey);
      if (bucket === undefined) {
        if (buckets.size >= PRUNE_ABOVE) prune(nowMs);
        bucket = { tokens: limit.burst, refilledMs: nowMs };
        buckets.set(apiKey, bucket);
      } else {
        // A clock stepped back refills nothing, and takes nothing away either.
        const elapsedMs = Math.max(0, nowMs - bucket.refilledMs);
        bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsedMs * limit.perSecond) / 1000);
        bucket.refilledMs = nowMs;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      throw rateLimited(Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond)));
    },
  };
}

function databaseLimiter(limit: RateLimit, store: Store, clock: Clock): RateLimiter {
  return {
    writes: true,
    async take(apiKey) {
      const taken = await store.takeRateToken(apiKey, clock.now().getTime(), limit.perSecond, limit.burst);
      if (!taken.allowed) throw rateLimited(taken.retryAfterSeconds);
    },
  };
}

const UNLIMITED: RateLimiter = { writes: false, take: () => undefined };

export function createRateLimiter(limit: RateLimit | undefined, store: Store, clock: Clock): RateLimiter {
  if (limit === undefined || limit.perSecond <= 0) return UNLIMITED;
  return limit.shared ? databaseLimiter(limit, store, clock) : inProcessLimiter(limit, clock);
}
