/**
 * Runs the real `vetted serve` CLI as a child process, for tests that need what one process
 * cannot show: restarts, several processes on one database, signals, crashes.
 *
 *   const child = await startChildServer({ database: database.url });
 *   await fetch(`${child.url}/meta.checkVersion`, { method: "POST" });
 *   assert.equal(await child.stop(), 0);   // SIGTERM, then waits for the exit code
 *
 * The child gets VETTED_MASTER_KEY = TEST_MASTER_KEY, so credentials created in this process
 * (with `openSideOperator` or `startTestServer`) verify in the child too. Every stdout and stderr
 * line is kept (`stdout`, `stderr`; `logs()` parses the JSON ones). The start waits for the
 * "vetted is serving" log line and fails, killing the child, if it does not come in time.
 * Always `stop()` or `kill()` the child (in `after`/`finally`): both remove the data dir the
 * helper created.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { createOperator, type Operator } from "../../src/admin/operator.js";
import { createSecretBox } from "../../src/auth/secret-box.js";
import { systemClock } from "../../src/domain/clock.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import { cliArguments, cliEnvironment, REPO_ROOT } from "./cli-process.js";
import type { TestDatabase } from "./databases.js";
import { tempDir } from "./databases.js";
import { TEST_MASTER_KEY } from "./server.js";

const SERVING_MESSAGE = "vetted is serving";
const PRIMARY_STARTED_MESSAGE = "primary started its workers";

/**
 * `vetted serve` limits each credential by default (100 a second); a test whose load is the point
 * (fault tests keep a few workers sending back to back) turns the limit off explicitly.
 */
export const UNLIMITED = ["--rate-limit", "0"];

export interface ChildServerOptions {
  /** A `--database` URL (`TestDatabase.url`). */
  database: string;
  /** Defaults to a fresh temporary directory, removed when the child is stopped or killed. */
  dataDir?: string;
  logLevel?: string;
  /** More CLI flags after the standard ones, e.g. `["--max-clock-skew", "5"]`. */
  args?: string[];
  /** Added to the child's environment (after VETTED_MASTER_KEY, so it may override it). */
  env?: Record<string, string>;
  /** How long to wait for "vetted is serving" (default 30 s: tsx compiles on first start). */
  startTimeoutMs?: number;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  /** `http://127.0.0.1:<port>`, from the "vetted is serving" line. */
  url: string;
  pid: number;
  process: ChildProcess;
  /** Every stdout line so far (the JSON log), in order. */
  stdout: string[];
  /** Every stderr line so far. */
  stderr: string[];
  /** The stdout lines that are JSON objects (pino log records). */
  logs(): Record<string, unknown>[];
  /** Resolves with the first line (stdout or stderr, seen or still to come) that matches. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the child has exited, however it ended. */
  exited: Promise<ChildExit>;
  /** Sends the signal (SIGTERM by default), waits for the exit and returns its code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: no shutdown code runs. Waits for the exit. */
  kill(): Promise<ChildExit>;
}

/** Inherited VETTED_* settings (a developer's own VETTED_DATABASE_URL, say) must not leak in. */
function childEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("VETTED_")) env[name] = value;
  }
  return { ...env, VETTED_MASTER_KEY: TEST_MASTER_KEY.toString("base64"), ...extra };
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
  stream.on("end", () => {
    if (pending !== "") onLine(pending);
    pending = "";
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const ownDataDir = options.dataDir === undefined ? tempDir("vetted-child-") : undefined;
  const dataDir = options.dataDir ?? (ownDataDir as string);
  const child = spawn(
    process.execPath,
    cliArguments([
      "serve",
      "--database",
      options.database,
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--log-level",
      options.logLevel ?? "info",
      ...(options.args ?? []),
    ]),
    { cwd: REPO_ROOT, env: cliEnvironment(childEnvironment(options.env)), stdio: ["ignore", "pipe", "pipe"] },
  );

  const stdout: string[] = [];
  const stderr: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const seen = (into: string[]) => (line: string) => {
    into.push(line);
    for (const watcher of watchers) watcher(line);
  };
  splitLines(child.stdout as NodeJS.ReadableStream, seen(stdout));
  splitLines(child.stderr as NodeJS.ReadableStream, seen(stderr));

  const exited = new Promise<ChildExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  let cleaned = false;
  const cleanUp = () => {
    if (cleaned || !ownDataDir) return;
    cleaned = true;
    fs.rmSync(ownDataDir, { recursive: true, force: true });
  };

  const waitForLine = (match: (line: string) => boolean, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const already = [...stdout, ...stderr].find(match);
      if (already !== undefined) return resolve(already);
      const timer = setTimeout(() => {
        watchers.delete(watcher);
        reject(new Error(`no matching line from the child within ${timeoutMs} ms`));
      }, timeoutMs);
      // A wait nobody awaits any more (the child died first) must not hold the test process open.
      timer.unref();
      const watcher = (line: string) => {
        if (!match(line)) return;
        clearTimeout(timer);
        watchers.delete(watcher);
        resolve(line);
      };
      watchers.add(watcher);
    });

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    const exit = await exited;
    cleanUp();
    return exit;
  };

  const stop = async (signal: NodeJS.Signals = "SIGTERM", timeoutMs = 20_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      await kill();
      throw new Error(`the child did not exit within ${timeoutMs} ms of ${signal}; killed it`);
    }
    cleanUp();
    return outcome.code;
  };

  // Serving, or an early exit: whichever comes first decides the start.
  const serving = waitForLine(
    (line) => parseJson(line)?.msg === SERVING_MESSAGE,
    options.startTimeoutMs ?? 30_000,
  );
  const start = await Promise.race([
    serving.then((line) => ({ line })),
    exited.then((exit) => ({ exit })),
  ]).catch((error: unknown) => ({ error }));
  if (!("line" in start)) {
    serving.catch(() => undefined);
    await kill();
    const why = "exit" in start ? `exited (${JSON.stringify(start.exit)})` : String(start.error);
    throw new Error(`vetted serve did not start: ${why}\nstderr:\n${stderr.join("\n")}`);
  }
  const url = parseJson(start.line)?.address;
  if (typeof url !== "string") {
    await kill();
    throw new Error(`"${SERVING_MESSAGE}" line has no address: ${start.line}`);
  }

  // With --workers N the primary forks N workers and each says it is serving. The first to say so
  // decides the URL; the rest must be up too, or a test that breaks the database next would see a
  // worker still starting fail (and be replaced) instead of the outage it means to test.
  const workers = [...stdout, ...stderr]
    .map(parseJson)
    .find((record) => record?.msg === PRIMARY_STARTED_MESSAGE)?.workers;
  if (typeof workers === "number" && workers > 1) {
    const servingCount = () =>
      [...stdout, ...stderr].filter((line) => parseJson(line)?.msg === SERVING_MESSAGE).length;
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    while (servingCount() < workers) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await kill();
        throw new Error(
          `only ${servingCount()} of ${workers} workers started\nstderr:\n${stderr.join("\n")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    url,
    pid: child.pid as number,
    process: child,
    stdout,
    stderr,
    logs: () => stdout.map(parseJson).filter((r): r is Record<string, unknown> => r !== undefined),
    waitForLine,
    exited,
    stop,
    kill,
  };
}

/**
 * A store and operator in this process on the database a child serves, to set up organizations,
 * accounts and credentials the child then sees. Migrates first (safe beside a running child).
 * Close the store when done.
 */
export async function openSideOperator(
  database: TestDatabase,
): Promise<{ store: Store; operator: Operator }> {
  const store = openStore(database.target, { poolSize: 2 });
  await store.migrate();
  const operator = createOperator({ store, secretBox: createSecretBox(TEST_MASTER_KEY), clock: systemClock });
  return { store, operator };
}
