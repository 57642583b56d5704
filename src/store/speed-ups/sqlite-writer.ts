/**
 * The serving thread's side of the SQLite writer thread (sqlite-writer-worker.ts), the one place
 * `serve` writes: every stand-alone write and every workflow.create is sent there and answered by
 * message, so the statements and the COMMIT's fsync never block the event loop that serves HTTP.
 * A transaction written as a closure (workflow.start/complete/update, admin commands) runs its
 * closure here, and each of its queries there, inside a job of the writer's group commit.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SqliteWriteName } from "../sqlite/connection.js";
import { WAL_RESTART_BYTES } from "../sqlite/wal-limit.js";
import {
  deserializeError,
  postTogether,
  type WriterReply,
  type WriterRequest,
  type WriterThreadData,
} from "./sqlite-writer-protocol.js";

/** A transaction open on the writer thread for a closure running on this one. */
export interface WriterTransaction {
  call(operation: string, args: unknown[]): Promise<unknown>;
  /** Commits (once durable) or rolls back; the transaction refuses calls from then on. */
  end(commit: boolean): Promise<void>;
}

export interface SqliteWriter {
  call(operation: SqliteWriteName, args: unknown[]): Promise<unknown>;
  /** Opens a transaction on the writer's connection: a job of its next group-committed batch. */
  begin(): Promise<WriterTransaction>;
  migrate(): Promise<string[]>;
  /** Throws the WRITER_DOWN error while the thread is down (between a crash and its restart). */
  assertRunning(): void;
  /** Calls sent to the thread and not yet answered (a gauge on /metrics). */
  queueDepth(): number;
  /** Waits for the calls in flight, then ends the thread; later calls are refused. */
  stop(): Promise<void>;
  /** Ends the thread the way a crash would (for tests of the recovery). */
  crash(): Promise<void>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * From dist/ the worker is plain JavaScript. From src/ (tests, `tsx`) it is TypeScript, and tsx
 * registered inside a new thread resolves and compiles every module again through its loader:
 * about 1.5 s of CPU for each writer started, hundreds of times in the test suite. So the worker is
 * bundled once per process with esbuild (tsx's own compiler) into one script, and each thread
 * starts from that without tsx.
 */
function spawnWorker(workerData: WriterThreadData): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./sqlite-writer-worker.js", import.meta.url), { workerData });
  return new Worker(workerBundle(), { eval: true, workerData, execArgv: [] });
}

let bundled: string | undefined;

function workerBundle(): string {
  if (bundled !== undefined) return bundled;
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const entry = fileURLToPath(new URL("./sqlite-writer-worker.ts", import.meta.url));
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    conditions: ["vetted-source"],
    // The native driver stays outside the bundle; the banner makes `require` resolve it from this
    // folder, as the source would, whatever the thread's working directory.
    external: ["better-sqlite3"],
    banner: { js: `var require = require("node:module").createRequire(${JSON.stringify(entry)});` },
    write: false,
    logLevel: "silent",
  });
  bundled = result.outputFiles[0]?.text ?? "";
  return bundled;
}

/** The code of the error a write gets while the writer thread is down: answered with 503. */
export const WRITER_DOWN = "VETTED_SQLITE_WRITER_DOWN";

function writerDown(reason: string): Error {
  return Object.assign(new Error(`the SQLite writer thread is not running (${reason})`), {
    code: WRITER_DOWN,
  });
}

const RESPAWN_DELAY_MS = { first: 50, max: 5000 };

/**
 * Set while a transaction's closure runs. A stand-alone write (or another transaction) started
 * from inside it would wait for the batch its own transaction holds open — every write of the
 * server would stop — so it is refused at once instead: inside a transaction, write through its `tx`.
 */
const inClosure = new AsyncLocalStorage<true>();
let closuresRunning = 0;

/**
 * Runs a transaction's closure, marked so that a write sent around its `tx` is refused (above).
 * On Node 20 a storage in use turns on promise hooks for the whole process — a cost on every
 * promise of every request — so it is disabled again once no closure runs (closures are rare:
 * the master key check at start, admin commands).
 */
export async function runClosure<T>(work: () => Promise<T>): Promise<T> {
  closuresRunning++;
  try {
    return await inClosure.run(true, work);
  } finally {
    if (--closuresRunning === 0) inClosure.disable();
  }
}

export function startSqliteWriter(
  path: string,
  busyTimeoutMs: number,
  walRestartBytes = WAL_RESTART_BYTES,
): SqliteWriter {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stopping = false;
  /** Exits since the last reply: a thread that keeps dying at start is restarted ever more slowly. */
  let failures = 0;
  let respawnTimer: NodeJS.Timeout | undefined;
  /** Transactions begun and not yet ended: `stop` waits for them as for calls in flight. */
  let openTransactions = 0;
  let worker: Worker | undefined = launch();

  function launch(): Worker {
    const started = spawnWorker({ path, busyTimeoutMs, walRestartBytes });
    // The thread keeps the process alive only while a call waits for it (see `send`).
    started.unref();
    started.on("message", (replies: WriterReply[]) => {
      failures = 0;
      for (const reply of replies) {
        const waiting = pending.get(reply.id);
        if (!waiting) continue;
        pending.delete(reply.id);
        if (reply.ok) waiting.resolve(reply.value);
        else waiting.reject(deserializeError(reply.error));
      }
      if (pending.size === 0) started.unref();
    });
    started.on("error", (error) => failAll(error));
    started.on("exit", (code) => {
      if (worker === started) worker = undefined;
      failAll(writerDown(`it exited with code ${code}`));
      if (stopping) return;
      // Writes meanwhile get 503 (WRITER_DOWN); a thread that died under load is back at once.
      failures++;
      const delay = Math.min(RESPAWN_DELAY_MS.first * 2 ** (failures - 1), RESPAWN_DELAY_MS.max);
      respawnTimer = setTimeout(() => {
        if (!stopping) worker = launch();
      }, delay);
      respawnTimer.unref();
    });
    return started;
  }

  function failAll(error: Error): void {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  }

  /** Starts new work: refused inside a closure (it would deadlock) and once stopping. */
  function start(message: (id: number) => WriterRequest): Promise<unknown> {
    if (inClosure.getStore())
      return Promise.reject(
        new Error("a store write inside a transaction closure would deadlock: use its tx"),
      );
    if (stopping) return Promise.reject(new Error("the SQLite store is closed"));
    return send(message, worker);
  }

  /** Sends to `target`, the thread that holds the work's transaction if it has one. */
  function send(message: (id: number) => WriterRequest, target: Worker | undefined): Promise<unknown> {
    if (!target) return Promise.reject(writerDown("it is restarting"));
    if (target !== worker) return Promise.reject(writerDown("the thread holding this transaction exited"));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      target.ref();
      post(target, message(id));
    });
  }

  /**
   * Messages leave together: the requests read from the sockets in one turn of the event loop go
   * to the writer in one message, which wakes it once and lands them in one batch.
   */
  let outbox: WriterRequest[] = [];
  let outboxTarget: Worker | undefined;

  function post(target: Worker, message: WriterRequest): void {
    if (outboxTarget !== target) flushOutbox();
    outboxTarget = target;
    if (outbox.push(message) === 1) setImmediate(flushOutbox);
  }

  function flushOutbox(): void {
    const target = outboxTarget;
    const messages = outbox;
    outbox = [];
    if (!target || messages.length === 0) return;
    // An argument that cannot be cloned: that request alone fails, as nothing will answer it.
    postTogether(target, messages, (one, error) => {
      if (!("id" in one)) return;
      const waiting = pending.get(one.id);
      if (!waiting) return;
      pending.delete(one.id);
      if (pending.size === 0) target.unref();
      waiting.reject(error instanceof Error ? error : new Error(String(error)));
    });
  }

  async function settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((pending.size > 0 || openTransactions > 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async function begin(): Promise<WriterTransaction> {
    const holder = worker;
    let transaction = 0;
    await start((id) => {
      transaction = id;
      return { kind: "begin", id };
    });
    openTransactions++;
    let ended = false;
    return {
      call(operation, args) {
        if (ended) return Promise.reject(new Error("the transaction has ended"));
        return send((id) => ({ kind: "txCall", id, transaction, operation, args }), holder);
      },
      async end(commit) {
        if (ended) return;
        ended = true;
        try {
          await send((id) => ({ kind: "end", id, transaction, commit }), holder);
        } finally {
          openTransactions--;
        }
      },
    };
  }

  return {
    call: (operation, args) => start((id) => ({ kind: "call", id, operation, args })),
    begin,
    migrate: () => start((id) => ({ kind: "migrate", id })) as Promise<string[]>,
    assertRunning() {
      if (!worker) throw writerDown("it is restarting");
    },
    queueDepth: () => pending.size,
    async crash() {
      await worker?.terminate();
    },
    async stop() {
      stopping = true;
      clearTimeout(respawnTimer);
      await settled(5000);
      const last = worker;
      if (!last) return;
      const exited = new Promise<void>((resolve) => last.once("exit", () => resolve()));
      last.ref();
      flushOutbox();
      last.postMessage([{ kind: "stop" }] satisfies WriterRequest[]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await last.terminate();
    },
  };
}
