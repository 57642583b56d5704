/**
 * When and how long to wait before trying a request again. Safe by design: only a request that
 * got no answer (a network error) or one the server says to retry (429, 503) is tried again; every
 * other status is the answer. A write carries one Idempotency-Key across its attempts (client.ts),
 * so an attempt whose answer was lost cannot create twice.
 */

export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number;
  /** No retry starts after this many milliseconds since the first attempt. Default 30 000. */
  maxElapsedMs?: number;
  /** First backoff ceiling when the server gives no Retry-After; doubles each attempt. Default 250. */
  baseDelayMs?: number;
  /** Ceiling of one wait, Retry-After included (a longer Retry-After ends the retries). Default 10 000. */
  maxDelayMs?: number;
  /** How to wait; tests pass one that records instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `retry: false` is one attempt; anything else fills in the defaults. */
export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const given = options === false ? { maxAttempts: 1 } : (options ?? {});
  return {
    maxAttempts: Math.max(1, given.maxAttempts ?? 4),
    maxElapsedMs: given.maxElapsedMs ?? 30_000,
    baseDelayMs: given.baseDelayMs ?? 250,
    maxDelayMs: given.maxDelayMs ?? 10_000,
    sleep: given.sleep ?? abortableSleep,
    random: given.random ?? Math.random,
  };
}

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable. A date in the past is no wait.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // A date names its day and month in letters; Date.parse alone would take "-1" as a year.
  const date = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** "Full jitter": a uniform wait up to base·2^(retry−1), capped, so clients that failed together spread out. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * The wait before attempt `attempt + 1`, or undefined to stop: out of attempts, out of time, or
 * the server asks for a longer wait than the policy allows.
 */
export function nextDelay(
  policy: RetryPolicy,
  attempt: number,
  startedAt: number,
  now: number,
  retryAfterMs: number | undefined,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay = retryAfterMs ?? backoffDelay(policy, attempt);
  if (delay > policy.maxDelayMs) return undefined;
  if (now + delay - startedAt > policy.maxElapsedMs) return undefined;
  return delay;
}
