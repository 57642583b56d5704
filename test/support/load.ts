/**
 * A light, steady request load for fault tests (outages, crashes, shutdown): a few workers, each
 * sending one signed request after another, every outcome recorded with the test phase it started
 * and ended in. Phases replace clocks: "every request that started and ended while the database
 * was down got a 503" needs no timing assertion.
 *
 *   const load = startLoad({ baseUrl, credential, workers: 3, next: (worker, n) => ({ method, body }) });
 *   load.phase = "down"; …; await load.stop();
 *   load.outcomes.filter((o) => o.startPhase === "down" && o.endPhase === "down")
 */
import type { IssuedCredential } from "../../src/admin/operator.js";
import type { WireError } from "../../src/errors.js";
import { signedHeaders } from "./http.js";

export interface LoadRequest {
  method: string;
  body: unknown;
  /** Anything the test wants back with the outcome (which email, which case). */
  tag?: string;
}

export interface ResponseJson {
  meta?: { status?: string; trace_id?: string; version?: string };
  data?: Record<string, unknown>;
  errors?: WireError[];
}

export type OutcomeStatus = number | "network-error" | "timeout";

export interface Outcome {
  request: LoadRequest;
  worker: number;
  startPhase: string;
  endPhase: string;
  status: OutcomeStatus;
  json?: ResponseJson;
  headers?: Headers;
  error?: string;
}

export interface Load {
  /** Set by the test; recorded at the start and end of every request. */
  phase: string;
  readonly outcomes: Outcome[];
  /** Requests sent and not yet answered. */
  inFlight(): number;
  /** Resolves when `count` outcomes satisfy `match`; rejects after `timeoutMs`. */
  waitFor(match: (outcome: Outcome) => boolean, count: number, timeoutMs?: number): Promise<void>;
  /** Lets every worker finish its current request, then resolves. */
  stop(): Promise<void>;
}

export interface LoadOptions {
  baseUrl: string;
  credential: Pick<IssuedCredential, "api_key" | "secret_key" | "auth_token">;
  workers: number;
  /** The next request of a worker, or undefined when that worker is done. */
  next(worker: number, n: number): LoadRequest | undefined;
  /** A request not answered within this bound is recorded as "timeout" (default 10 s). */
  timeoutMs?: number;
  /** Pause between one worker's requests (default 10 ms), to keep the load light. */
  pauseMs?: number;
  /** Stop a worker at its first network error (for loads against a server that will be killed). */
  stopOnNetworkError?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one signed request with a time bound; never throws. */
export async function sendBounded(
  baseUrl: string,
  credential: LoadOptions["credential"],
  request: LoadRequest,
  timeoutMs = 10_000,
): Promise<Pick<Outcome, "status" | "json" | "headers" | "error">> {
  const bytes = JSON.stringify(request.body);
  const target = `/${request.method}`;
  try {
    const response = await fetch(baseUrl + target, {
      method: "POST",
      headers: signedHeaders(credential, target, bytes),
      body: bytes,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: ResponseJson | undefined;
    try {
      json = JSON.parse(text) as ResponseJson;
    } catch {
      return { status: response.status, headers: response.headers, error: `not JSON: ${text.slice(0, 200)}` };
    }
    return { status: response.status, json, headers: response.headers };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: name === "TimeoutError" ? "timeout" : "network-error",
      error: `${String(error)} ${cause?.code ?? cause?.message ?? ""}`.trim(),
    };
  }
}

export function startLoad(options: LoadOptions): Load {
  const outcomes: Outcome[] = [];
  let running = true;
  let inFlight = 0;
  const waiters = new Set<() => void>();

  const load: Load = {
    phase: "start",
    outcomes,
    inFlight: () => inFlight,
    waitFor(match, count, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (outcomes.filter(match).length < count) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`load: fewer than ${count} matching outcomes within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };

  const work = async (worker: number) => {
    for (let n = 0; running; n++) {
      const request = options.next(worker, n);
      if (!request) return;
      const startPhase = load.phase;
      inFlight++;
      const result = await sendBounded(options.baseUrl, options.credential, request, options.timeoutMs);
      inFlight--;
      outcomes.push({ request, worker, startPhase, endPhase: load.phase, ...result });
      for (const waiter of [...waiters]) waiter();
      if (options.stopOnNetworkError && result.status === "network-error") return;
      await sleep(options.pauseMs ?? 10);
    }
  };
  const workers = Array.from({ length: options.workers }, (_, worker) => work(worker));
  return load;
}

/** Counts outcomes by status, for assertion messages: { "200": 41, "503": 12 }. */
export function statusCounts(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[String(outcome.status)] = (counts[String(outcome.status)] ?? 0) + 1;
  return counts;
}
