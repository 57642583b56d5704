/**
 * The serving thread's side of the SQLite writer thread (sqlite-writer-worker.ts): every
 * stand-alone write and every workflow.create is sent there and answered by message, so the
 * statements and the COMMIT's fsync never block the event loop that serves HTTP. Transactions
 * written as closures (workflow.start/complete/update) still run on the serving thread, under
 * the writer's lock (`withWriteLock`), so the two connections never wait in SQLite's busy handler.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  deserializeError,
  type WriterOperation,
  type WriterReply,
  type WriterRequest,
} from "./sqlite-writer-protocol.js";

export interface SqliteWriter {
  call(operation: WriterOperation, args: unknown[]): Promise<unknown>;
  withWriteLock<T>(work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
  /** Ends the thread the way a crash would (for tests of the recovery). */
  crash(): Promise<void>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * From dist/ the worker is plain JavaScript; from src/ (tests, `tsx`) it is TypeScript, which a
 * worker thread cannot load until tsx's loader is registered inside it.
 */
function spawnWorker(workerData: { path: string; busyTimeoutMs: number }): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./sqlite-writer-worker.js", import.meta.url), { workerData });
  const tsxApi = createRequire(import.meta.url)
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  const entry = new URL("./sqlite-writer-worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(new URL(`file://${tsxApi}`).href)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function startSqliteWriter(path: string, busyTimeoutMs: number): SqliteWriter {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker = launch();
  let stopping = false;

  function launch(): Worker {
    const started = spawnWorker({ path, busyTimeoutMs });
    // The thread keeps the process alive only while a call waits for it (see `send`).
    started.unref();
    started.on("message", (reply: WriterReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(deserializeError(reply.error));
    });
    started.on("error", (error) => failAll(error));
    started.on("exit", (code) => {
      failAll(new Error(`the SQLite writer thread exited (code ${code})`));
      // A thread that died under load is replaced for the next write; the failed ones got a 500.
      if (!stopping) worker = launch();
    });
    return started;
  }

  function failAll(error: Error): void {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  }

  function send(message: (id: number) => WriterRequest): Promise<unknown> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage(message(id));
    });
  }

  async function settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (pending.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  return {
    call: (operation, args) => send((id) => ({ kind: "call", id, operation, args })),
    async withWriteLock(work) {
      await send((id) => ({ kind: "lock", id }));
      try {
        return await work();
      } finally {
        worker.postMessage({ kind: "unlock" } satisfies WriterRequest);
      }
    },
    async crash() {
      await worker.terminate();
    },
    async stop() {
      stopping = true;
      await settled(5000);
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.ref();
      worker.postMessage({ kind: "stop" } satisfies WriterRequest);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
