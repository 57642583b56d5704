/**
 * Drives the server with wrk, a C load generator in its own process, so that less of the two
 * cores goes to load generation than with autocannon in the bench process: `connections`
 * keep-alive connections, one request in flight on each, for a fixed time. The requests are
 * signed just before the stage (presign.ts) and bench/wrk-create.lua sends each exactly once.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onCleanup } from "./cleanup.js";
import type { HttpStageResult, StageOptions } from "./http-load.js";
import { log } from "./log.js";
import { writePresignedRequests } from "./presign.js";
import { CLOCK_TICKS_PER_S, round, startCpuPerRequest, startCpuSpan } from "./stats.js";

const SCRIPT = fileURLToPath(new URL("./wrk-create.lua", import.meta.url));

/** The version of the `wrk` on PATH, or undefined when there is none. */
export function wrkVersion(): string | undefined {
  // `wrk --version` prints "wrk <version> [epoll] Copyright …" and its usage, and exits 1.
  const probe = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  return /^wrk (\S+)/.exec(probe.stdout ?? "")?.[1];
}

/** What bench/wrk-create.lua writes to <dir>/summary.json. */
interface WrkSummary {
  threads: number;
  /** Requests the script handed to wrk to send. */
  sent: number;
  exhausted_threads: number;
  /** Responses received (any status). */
  requests: number;
  duration_s: number;
  status_codes: Record<string, number>;
  /** An empty Lua table encodes as {}. */
  failures: string[] | Record<string, never>;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** CPU time (user + system) of the whole wrk process, in clock ticks. */
  cpu_ticks: number;
}

/**
 * The largest thread count up to `wanted` that divides `connections`: wrk opens connections ÷
 * threads (rounded down) on each thread.
 */
function threadsFor(connections: number, wanted: number): number {
  let threads = Math.max(1, Math.min(wanted, connections));
  while (connections % threads !== 0) threads--;
  return threads;
}

function runWrk(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    const stop = onCleanup(`stop wrk ${child.pid}`, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    });
    child.once("error", (error) => {
      void stop();
      reject(error);
    });
    child.once("close", (code) => {
      void stop();
      resolve({ code, output: Buffer.concat(chunks).toString("utf8") });
    });
  });
}

export async function runWrkStage(
  options: StageOptions & {
    /** The highest rate the stage could reach, in requests per second: how many to sign. */
    maxRate: number;
    /** wrk threads wanted (fewer when they do not divide the connections). */
    threads: number;
  },
): Promise<HttpStageResult> {
  // wrk takes whole seconds.
  const seconds = Math.max(1, Math.round(options.durationS));
  const threads = threadsFor(options.connections, options.threads);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vetted-bench-wrk-"));
  const removeDir = onCleanup(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  try {
    // Signed now, so every timestamp is at most the stage's length old when it is sent. One
    // second's worth more than the duration, since wrk stops a little after it.
    const perThread = Math.ceil((options.maxRate * (seconds + 1)) / threads);
    const signingStarted = performance.now();
    writePresignedRequests({
      dir,
      host: new URL(options.url).host,
      factory: options.factory,
      threads,
      perThread,
    });
    log(
      `signed ${perThread * threads} requests for wrk in ${(performance.now() - signingStarted).toFixed(0)} ms`,
    );

    const endSpan = startCpuSpan(options.serverCpuMs);
    const endPerRequest = startCpuPerRequest({
      server: options.serverCpuMs,
      serving: options.servingCpuMs,
      database: options.databaseCpuMs,
    });
    const { code, output } = await runWrk([
      ...["-t", String(threads), "-c", String(options.connections), "-d", `${seconds}s`],
      ...["--latency", "--timeout", "30s", "-s", SCRIPT, `${options.url}/`, "--", dir],
    ]);
    const summaryFile = path.join(dir, "summary.json");
    if (code !== 0 || !fs.existsSync(summaryFile)) {
      throw new Error(`wrk exited with ${code} and no summary:\n${output}`);
    }
    const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as WrkSummary;
    const cpu = endSpan((summary.cpu_ticks * 1000) / CLOCK_TICKS_PER_S);
    const perRequest = endPerRequest(summary.requests);
    if (summary.exhausted_threads > 0) {
      // Sending a request twice would only measure the server's 401 for a replayed nonce.
      throw new Error(
        `wrk used up the ${perThread * threads} requests signed for ${seconds} s at ${options.connections} ` +
          `connections (more than BENCH_WRK_MAX_RATE=${options.maxRate} req/s): raise BENCH_WRK_MAX_RATE`,
      );
    }

    const statusCodes = summary.status_codes;
    const ok = Object.entries(statusCodes)
      .filter(([status]) => status.startsWith("2"))
      .reduce((sum, [, count]) => sum + count, 0);
    const { connect, read, write, timeout } = summary.errors;
    return {
      load_generator: "wrk",
      connections: options.connections,
      duration_s: round(summary.duration_s, 3),
      sent: summary.sent,
      responses: summary.requests,
      ok,
      req_per_s: round(summary.requests / summary.duration_s, 1),
      p50_ms: round(summary.p50_ms),
      p99_ms: round(summary.p99_ms),
      max_ms: round(summary.max_ms),
      non2xx: summary.requests - ok,
      errors: connect + read + write + timeout,
      status_codes: statusCodes,
      failures: Array.isArray(summary.failures) ? summary.failures : [],
      cpu,
      ...perRequest,
    };
  } finally {
    await removeDir();
  }
}
