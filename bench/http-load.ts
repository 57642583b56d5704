/**
 * One HTTP stage's result, whichever load generator drove it (wrk-load.ts runs wrk), and the
 * autocannon runner: in this process, `connections` keep-alive connections, one request in
 * flight on each, for a fixed time. `setupRequest` builds every request afresh from the factory
 * (new body, new nonce, new signature), so no request is ever replayed.
 */
import autocannon from "autocannon";
import type { RequestFactory } from "./requests.js";
import { TARGET } from "./requests.js";
import {
  type CpuMeter,
  type CpuPerRequest,
  type CpuSpan,
  round,
  startCpuPerRequest,
  startCpuSpan,
} from "./stats.js";

export type LoadGeneratorName = "wrk" | "autocannon";

export interface HttpStageResult extends CpuPerRequest {
  load_generator: LoadGeneratorName;
  connections: number;
  duration_s: number;
  /** Requests written, including those still in flight when the time was up. */
  sent: number;
  /** Responses received (any status). */
  responses: number;
  ok: number;
  req_per_s: number;
  /** autocannon records whole milliseconds; wrk microseconds (kept to 2 decimals here). */
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  status_codes: Record<string, number>;
  /** The first few non-2xx bodies, to say what went wrong. */
  failures: string[];
  cpu: CpuSpan;
}

export interface StageOptions {
  url: string;
  connections: number;
  durationS: number;
  factory: RequestFactory;
  serverCpuMs?: CpuMeter;
  /** The server's main threads only (ServerChild.servingCpuMs). */
  servingCpuMs?: CpuMeter;
  /** PostgreSQL's CPU, for its share per request (none for SQLite). */
  databaseCpuMs?: CpuMeter;
}

export async function runAutocannonStage(options: StageOptions): Promise<HttpStageResult> {
  const failures: string[] = [];
  const endSpan = startCpuSpan(options.serverCpuMs);
  const endPerRequest = startCpuPerRequest({
    server: options.serverCpuMs,
    serving: options.servingCpuMs,
    database: options.databaseCpuMs,
  });
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: TARGET,
        setupRequest(request) {
          const next = options.factory.next();
          return {
            ...request,
            method: "POST",
            path: TARGET,
            headers: { ...request.headers, ...next.headers },
            body: next.body,
          };
        },
        onResponse(status, body) {
          if ((status < 200 || status > 299) && failures.length < 5) failures.push(`${status} ${body}`);
        },
      },
    ],
  });
  const cpu = endSpan();
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats)) statusCodes[code] = stats.count;
  const responses = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    load_generator: "autocannon",
    connections: options.connections,
    duration_s: round(result.duration, 3),
    sent: result.requests.sent,
    responses,
    ok: result["2xx"],
    req_per_s: round(responses / result.duration, 1),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    status_codes: statusCodes,
    failures,
    cpu,
    ...endPerRequest(responses),
  };
}
