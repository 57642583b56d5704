/**
 * Runs the real `vetted` CLI as a child process (cli-process.ts says from where), the way
 * an operator does: one-shot commands through `runCli`, serving commands through `startCli`.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { after, before } from "node:test";
import { createOperator, type Operator } from "../../src/admin/operator.js";
import { createSecretBox } from "../../src/auth/secret-box.js";
import type { AccountDataSettings } from "../../src/domain/account-settings.js";
import { systemClock } from "../../src/domain/clock.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import { cliArguments, cliEnvironment, REPO_ROOT } from "./cli-process.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase, tempDir } from "./databases.js";

export { REPO_ROOT };

/** Bounds every one-shot command; a cold tsx start on a busy 2-core machine takes a few seconds. */
const COMMAND_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** An environment with no VETTED_* variable from the caller's shell, so only the test decides. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("VETTED_")) env[key] = value;
  }
  return { ...env, ...extra };
}

export function newMasterKey(): string {
  return randomBytes(32).toString("base64");
}

export interface RunOptions {
  /** Written to the command's standard input, which is then closed (closed at once without it). */
  input?: string;
  /** Called as soon as the process exists, before its input is written. */
  onSpawn?(child: ChildProcess): void;
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
  options: RunOptions = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      cliArguments(args),
      { cwd: REPO_ROOT, env: cliEnvironment(env), timeout: COMMAND_TIMEOUT_MS, encoding: "utf8" },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; signal?: NodeJS.Signals }) | null;
        resolve({
          code: failure ? (typeof failure.code === "number" ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
    options.onSpawn?.(child);
    child.stdin?.end(options.input ?? "");
  });
}

/** Runs CLI processes, each mostly start-up, three at a time: more only crowd a 2-core machine. */
export async function threeAtATime<T extends unknown[]>(
  runs: [...{ [K in keyof T]: () => Promise<T[K]> }],
): Promise<T> {
  const results: unknown[] = [];
  for (let start = 0; start < runs.length; start += 3) {
    results.push(...(await Promise.all(runs.slice(start, start + 3).map((run) => run()))));
  }
  // The results are in the order of `runs`, so each has its run's type.
  return results as T;
}

/** Runs an admin command with --json and returns its one JSON object, asserting exit 0 and a clean stderr. */
export async function runJson<T = Record<string, unknown>>(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: RunOptions = {},
): Promise<{ value: T; stdout: string }> {
  const result = await runCli([...args, "--json"], env, options);
  assert.equal(result.code, 0, `vetted ${args.join(" ")} failed: ${result.stderr}`);
  assert.equal(result.stderr, "");
  assert.ok(result.stdout.endsWith("\n"), "output ends with a newline");
  const lines = result.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected exactly one line of JSON, got:\n${result.stdout}`);
  const value = JSON.parse(lines[0] as string) as T;
  assert.equal(typeof value, "object");
  assert.ok(value !== null && !Array.isArray(value), "the output is one JSON object");
  return { value, stdout: result.stdout };
}

/** Asserts a failed command: the exit status, nothing on stdout, and exactly one line on stderr. */
export function assertOneLineFailure(result: CliResult, code: number, mentions: RegExp): void {
  assert.equal(result.code, code, `expected exit ${code}, got ${result.code}; stderr: ${result.stderr}`);
  assert.equal(result.stdout, "");
  assert.ok(result.stderr.endsWith("\n"), `stderr ends with a newline: ${JSON.stringify(result.stderr)}`);
  const lines = result.stderr.slice(0, -1).split("\n");
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${JSON.stringify(result.stderr)}`);
  assert.match(result.stderr, mentions);
}

/** The one JSON object a failed admin command prints on stderr with --json (README, "Operating it"). */
export interface CliErrorJson {
  error: { code: string; message: string };
}

/** Asserts a failed --json command: the exit status, nothing on stdout, one JSON error object on stderr. */
export function assertJsonFailure(
  result: CliResult,
  code: number,
  errorCode: string,
  mentions: RegExp,
): void {
  assertOneLineFailure(result, code, /^\{"error":/);
  const value = JSON.parse(result.stderr) as CliErrorJson;
  assert.deepEqual(Object.keys(value), ["error"]);
  assert.deepEqual(Object.keys(value.error).sort(), ["code", "message"]);
  assert.equal(value.error.code, errorCode, result.stderr);
  assert.match(value.error.message, mentions);
}

export interface RunningCli {
  child: ChildProcess;
  /** The base URL the server logged once it listened. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout (the JSON log lines) matches the pattern. */
  waitForStdout(pattern: RegExp): Promise<string>;
  /** Resolves once stderr matches the pattern (the demo banner follows the "serving" log line). */
  waitForStderr(pattern: RegExp): Promise<string>;
  /** Sends a signal and waits for the exit status. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `vetted serve` or `vetted demo` and waits for the "vetted is serving" log line. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): Promise<RunningCli> {
  const child = spawn(process.execPath, cliArguments(args), {
    cwd: REPO_ROOT,
    env: cliEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waitFor = (stream: "stdout" | "stderr", pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const output = () => (stream === "stdout" ? stdout : stderr);
      const check = () => {
        if (!pattern.test(output())) return false;
        child[stream]?.off("data", onData);
        clearTimeout(timer);
        resolve(output());
        return true;
      };
      // Registered after startCli's own listener, so output() already holds the chunk.
      const onData = () => void check();
      const timer = setTimeout(() => {
        child[stream]?.off("data", onData);
        reject(new Error(`${stream} never matched ${pattern}:\n${output()}`));
      }, COMMAND_TIMEOUT_MS);
      // Listen before checking so output arriving in between is not missed.
      child[stream]?.on("data", onData);
      check();
    });
  const waitForStdout = (pattern: RegExp) => waitFor("stdout", pattern);
  const waitForStderr = (pattern: RegExp) => waitFor("stderr", pattern);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const killer = setTimeout(() => child.kill("SIGKILL"), COMMAND_TIMEOUT_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(killer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop("SIGKILL");
      reject(new Error(`vetted ${args.join(" ")} did not start:\n${stdout}\n${stderr}`));
    }, COMMAND_TIMEOUT_MS);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const address = /"address":"(http:\/\/[^"]+)"/.exec(stdout)?.[1];
      if (address && /vetted is serving/.test(stdout)) {
        clearTimeout(timer);
        resolve({
          child,
          url: address,
          stdout: () => stdout,
          stderr: () => stderr,
          waitForStdout,
          waitForStderr,
          stop,
        });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`vetted ${args.join(" ")} exited (${code ?? signal}) before serving:\n${stderr}`));
    });
  });
}

export interface CliDatabase {
  database: TestDatabase;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** A store on the same database, to check what the CLI wrote. */
  store: Store;
  /**
   * The same operator actions in this process, with the CLI's master key: for setting up what a
   * test needs but does not test, because every CLI process costs a second or more of start-up.
   */
  operator: Operator;
  /** Runs `vetted admin <args> --json` on this database and returns its JSON object. */
  admin<T = Record<string, unknown>>(...args: string[]): Promise<T>;
}

/** Registers before/after hooks: a fresh database, data dir and master key for the suite. */
export function useCliDatabase(kind: DatabaseKind): () => CliDatabase {
  let context: CliDatabase | undefined;
  before(async () => {
    const database = await createTestDatabase(kind);
    const dataDir = tempDir("vetted-cli-");
    const masterKey = newMasterKey();
    const env = cleanEnv({ VETTED_MASTER_KEY: masterKey });
    const store = openStore(database.target);
    await store.migrate();
    context = {
      database,
      dataDir,
      env,
      store,
      operator: createOperator({
        store,
        secretBox: createSecretBox(Buffer.from(masterKey, "base64")),
        clock: systemClock,
      }),
      admin: async <T>(...args: string[]) =>
        (await runJson<T>(["admin", ...args, "--database", database.url, "--data-dir", dataDir], env)).value,
    };
  });
  after(async () => {
    if (!context) return;
    await context.store.close();
    await context.database.drop();
    fs.rmSync(context.dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!context) throw new Error("CLI database not ready");
    return context;
  };
}

/** ISO 8601 UTC with milliseconds, as wire.md fixes. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An account as `vetted admin account …` prints it: its own fields and every data setting. */
export interface AccountJson extends AccountDataSettings {
  account_id: string;
  organization_id: string;
  environment: string;
  name: string | null;
  allow_multiple_applications_per_email: boolean;
  created_at: string;
  updated_at: string;
}

export interface IssuedJson {
  api_key: string;
  secret_key: string;
  auth_token: string;
  signature_policy: string;
  environment: string;
  can_unmask: boolean;
}
