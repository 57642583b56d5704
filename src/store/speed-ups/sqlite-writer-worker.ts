/**
 * The SQLite writer thread (started by sqlite-writer.ts): the only connection of `serve` that
 * writes. better-sqlite3 is synchronous, so the statements of a write and the fsync of its COMMIT
 * block whichever thread runs them; here they block this one, and the serving thread goes on
 * parsing, authenticating and answering requests. Writes that arrive together share one
 * group-committed transaction, each in its own savepoint; so do the serving thread's closure
 * transactions, whose queries arrive one message at a time.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Kysely } from "kysely";
import { migrate } from "../shared/migrate.js";
import { openSqliteConnection, type SqliteTx, sqliteTxOn } from "../sqlite/connection.js";
import { createWalLimit } from "../sqlite/wal-limit.js";
import { createAsyncLock } from "./async-lock.js";
import { createGroupCommit } from "./sqlite-group-commit.js";
import {
  perform,
  postTogether,
  serializeError,
  type WriterReply,
  type WriterRequest,
  type WriterThreadData,
} from "./sqlite-writer-protocol.js";

if (!parentPort) throw new Error("sqlite-writer-worker.ts runs only as a worker thread");
const port = parentPort;
const { path, busyTimeoutMs, walRestartBytes } = workerData as WriterThreadData;

const db = openSqliteConnection(path, busyTimeoutMs, { walRestartBytes });
// Held by each batch, and by migrations, which take their own transactions.
const writeLock = createAsyncLock();
const groupCommit = createGroupCommit(db, sqliteTxOn, {
  exclusive: (batch) => writeLock.run(batch),
  afterBatch: createWalLimit({ db, file: path, restartBytes: walRestartBytes, busyTimeoutMs }),
});

/** A closure transaction of the serving thread: its job's tx once the job runs, and how to end it. */
interface OpenTransaction {
  started: Promise<{ tx: SqliteTx; end: (commit: boolean) => void }>;
  outcome: Promise<unknown>;
}
const transactions = new Map<number, OpenTransaction>();
const ROLLED_BACK = new Error("the transaction's closure failed; rolled back");

/**
 * Replies leave together: a batch's jobs settle in one turn, and one message for all of them
 * wakes the serving thread once instead of once per request.
 */
let outbox: WriterReply[] = [];

function reply(message: WriterReply): void {
  if (outbox.push(message) === 1) queueMicrotask(sendReplies);
}

function sendReplies(): void {
  const replies = outbox;
  outbox = [];
  postTogether(port, replies, (one, error) =>
    port.postMessage([{ id: one.id, ok: false, error: serializeError(error) }]),
  );
}

function answer(id: number, work: Promise<unknown>): void {
  work.then(
    (value) => reply({ id, ok: true, value }),
    (error: unknown) => reply({ id, ok: false, error: serializeError(error) }),
  );
}

function begin(id: number): void {
  let started!: (job: { tx: SqliteTx; end: (commit: boolean) => void }) => void;
  const open: OpenTransaction = {
    started: new Promise((resolve) => (started = resolve)),
    // The job holds its batch open until the serving thread ends it.
    outcome: groupCommit.run(
      (tx) =>
        new Promise((resolve, reject) => {
          started({ tx, end: (commit) => (commit ? resolve(null) : reject(ROLLED_BACK)) });
          reply({ id, ok: true, value: null });
        }),
    ),
  };
  transactions.set(id, open);
  // A batch that fails before the job starts (the lock held elsewhere past the busy timeout).
  open.outcome.catch((error: unknown) => {
    if (transactions.delete(id)) reply({ id, ok: false, error: serializeError(error) });
  });
}

async function inTransaction(transaction: number, operation: string, args: unknown[]): Promise<unknown> {
  const open = transactions.get(transaction);
  if (!open) throw new Error("the transaction has ended");
  return perform((await open.started).tx, operation, args);
}

async function end(transaction: number, commit: boolean): Promise<unknown> {
  const open = transactions.get(transaction);
  if (!open) throw new Error("the transaction has ended");
  transactions.delete(transaction);
  (await open.started).end(commit);
  return open.outcome;
}

port.on("message", (messages: WriterRequest[]) => {
  for (const message of messages) receive(message);
});

function receive(message: WriterRequest): void {
  switch (message.kind) {
    case "call":
      answer(
        message.id,
        groupCommit.run((tx) => perform(tx, message.operation, message.args)),
      );
      return;
    case "begin":
      begin(message.id);
      return;
    case "txCall":
      answer(message.id, inTransaction(message.transaction, message.operation, message.args));
      return;
    case "end":
      answer(message.id, end(message.transaction, message.commit));
      return;
    case "migrate":
      answer(
        message.id,
        writeLock.run(() => migrate(db as unknown as Kysely<unknown>, "sqlite")),
      );
      return;
    case "stop":
      void db.destroy().then(() => process.exit(0));
      return;
  }
}
