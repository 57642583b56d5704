/**
 * The typed client: signs every request with KSig1 (ksig1.ts), retries only what is safe
 * (retry.ts), and answers either a result (`call`) or the data itself (`request`, which throws
 * `VettedApiError`). Only fetch, Web Crypto and TextEncoder: Node 20+ and browsers alike.
 *
 *   const client = createClient({ baseUrl, apiKey, secretKey, authToken });
 *   const { workflow } = await client.request("workflow.create", { subject_record_id, workflow: { type: "ACCOUNT_PROVISIONING" } });
 */
import { VettedApiError, VettedNetworkError } from "./errors.js";
import { type Credentials, type Element, newNonce, signRequest } from "./ksig1.js";
import {
  isUnauthenticatedMethod,
  isWriteMethod,
  type MethodName,
  type RequestOf,
  type ResponseOf,
} from "./methods.js";
import { pageReader } from "./pagination.js";
import { type CallResult, readResult } from "./response.js";
import { nextDelay, parseRetryAfter, RETRYABLE_STATUSES, type RetryOptions, retryPolicy } from "./retry.js";

export interface ClientOptions extends Credentials {
  /** The server's address, e.g. `https://vetted.example.com`. */
  baseUrl: string;
  /** Elements to sign; default: the strict set with Content-SHA256. `["API-Key"]` for compat credentials. */
  signedElements?: readonly Element[];
  /** Sent as `X-API-Version` (and signed when `signedElements` names API-Version). */
  version?: string;
  /** The fetch to send with (a wrapper that logs, a test double); default the global fetch. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Retries of network errors, 429 and 503; `false` sends each request once. */
  retry?: RetryOptions | false;
}

export interface CallOptions {
  /** Extra request headers; they win over the client's own. */
  headers?: Record<string, string>;
  /**
   * The Idempotency-Key of a write. Unset (and no `Idempotency-Key` in `headers`), a write gets a
   * fresh one whenever retries are on, so that its retries cannot create twice.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** This call's retries, instead of the client's. */
  retry?: RetryOptions | false;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** 16 random bytes: unique enough that two writes never share a key. */
function newIdempotencyKey(): string {
  return `vc_${newNonce()}`;
}

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/$/, "");
  const send = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));

  async function call<N extends MethodName>(
    method: N,
    body: RequestOf<N>,
    callOptions: CallOptions = {},
  ): Promise<CallResult<ResponseOf<N>>> {
    const policy = retryPolicy(callOptions.retry ?? options.retry);
    // One body and one key for every attempt: a retry must be byte-identical to be a replay.
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const target = `/${method}`;
    const givenKey = callOptions.idempotencyKey ?? headerValue(callOptions.headers, "idempotency-key");
    const idempotencyKey =
      givenKey ?? (isWriteMethod(method) && policy.maxAttempts > 1 ? newIdempotencyKey() : undefined);
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      // Signed afresh each attempt: a nonce is single-use and the timestamp must be current.
      const auth = isUnauthenticatedMethod(method)
        ? {}
        : await signRequest(options, {
            target,
            body: bytes,
            elements: options.signedElements,
            version: options.version,
          });
      const headers = new Headers({
        "content-type": "application/json",
        ...(options.version ? { "x-api-version": options.version } : {}),
        ...(idempotencyKey !== undefined ? { "idempotency-key": idempotencyKey } : {}),
        ...auth,
      });
      // `set`, not a spread: a caller's `Idempotency-Key` must replace ours, not join it as a second value.
      for (const [name, value] of Object.entries(callOptions.headers ?? {})) headers.set(name, value);
      let response: Response;
      try {
        response = await send(base + target, {
          method: "POST",
          headers,
          body: bytes,
          signal: callOptions.signal,
        });
      } catch (error) {
        if (callOptions.signal?.aborted) throw error;
        const delay = nextDelay(policy, attempt, startedAt, Date.now(), undefined);
        if (delay === undefined) throw new VettedNetworkError(method, attempt, { cause: error });
        await policy.sleep(delay, callOptions.signal);
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status)) {
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"), Date.now());
        const delay = nextDelay(policy, attempt, startedAt, Date.now(), retryAfter);
        if (delay !== undefined) {
          // Read the refused answer to its end so the connection can be reused.
          await response.arrayBuffer().catch(() => undefined);
          await policy.sleep(delay, callOptions.signal);
          continue;
        }
      }
      return readResult<ResponseOf<N>>(response, attempt);
    }
  }

  /** The success's data, or a thrown VettedApiError carrying the refusal. */
  async function request<N extends MethodName>(
    method: N,
    body: RequestOf<N>,
    callOptions?: CallOptions,
  ): Promise<ResponseOf<N>> {
    const result = await call(method, body, callOptions);
    if (result.ok) return result.data;
    throw new VettedApiError(method, result.status, result.trace_id, result.errors);
  }

  return { call, request, ...pageReader(request) };
}

export type VettedClient = ReturnType<typeof createClient>;
