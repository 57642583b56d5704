/**
 * SQLite adapter: better-sqlite3 in WAL mode with a busy timeout and synchronous=FULL, so a
 * committed write survives a power cut and admin commands can run beside `serve`.
 *
 * Writes are group-committed (sqlite-group-commit.ts). With `writerThread` (what `serve` uses)
 * they also run on a thread of their own (sqlite-writer.ts), off the event loop that serves HTTP.
 */
import { type Kysely, sql } from "kysely";
import { migrate } from "./migrate.js";
import type { Database } from "./schema.js";
import { startCheckpointer } from "./sqlite-checkpointer.js";
import { DEFAULT_BUSY_TIMEOUT_MS, openSqliteConnection, sqliteTxOn } from "./sqlite-connection.js";
import { prepareSqliteFiles } from "./sqlite-files.js";
import { createGroupCommit } from "./sqlite-group-commit.js";
import { startSqliteWriter } from "./sqlite-writer.js";
import {
  performWrite,
  WRITE_METHODS,
  type WriteMethod,
  type WriterOperation,
} from "./sqlite-writer-protocol.js";
import type { Store, StoreOperations, StoreTx } from "./store.js";

export interface SqliteOptions {
  path: string;
  busyTimeoutMs?: number;
  /** Run writes on a writer thread. Ignored for `:memory:`, which another thread cannot open. */
  writerThread?: boolean;
  /** false: no writer thread and no group commit, each transaction on its own (open.ts). */
  speedUps?: boolean;
}

type Writes = Pick<StoreTx, WriteMethod> & StoreOperations;

/**
 * Stand-alone writes and workflow.create, each handed to `send`: a job of the next batch on this
 * thread, or a message to the writer thread.
 */
function writesVia(send: (operation: WriterOperation, args: unknown[]) => Promise<unknown>): Writes {
  const writes: Record<string, unknown> = {};
  for (const name of WRITE_METHODS) writes[name] = (...args: unknown[]) => send(name, args);
  writes.createWorkflow = (plan: unknown) => send("createWorkflow", [plan]);
  // The cast only erases each method's own signature; arguments pass through untouched.
  return writes as unknown as Writes;
}

export function openSqliteStore(options: SqliteOptions): Store {
  const inMemory = options.path === ":memory:";
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  prepareSqliteFiles(options.path);
  const db: Kysely<Database> = openSqliteConnection(options.path, busyTimeoutMs);
  const checkpointer = inMemory ? undefined : startCheckpointer(options.path);
  const speedUps = options.speedUps ?? true;
  const writer =
    speedUps && options.writerThread && !inMemory
      ? startSqliteWriter(options.path, busyTimeoutMs)
      : undefined;
  // Transactions written as closures run here; with a writer thread, under its lock.
  const groupCommit = createGroupCommit(db, sqliteTxOn, writer ? { exclusive: writer.withWriteLock } : {});
  // The plain path: one BEGIN IMMEDIATE … COMMIT per transaction, one after another.
  const transaction: Store["transaction"] = speedUps
    ? (work) => groupCommit.run(work)
    : (work) => db.transaction().execute((trx) => work(sqliteTxOn(trx)));

  return {
    ...sqliteTxOn(db),
    ...writesVia(
      writer
        ? (operation, args) => writer.call(operation, args)
        : (operation, args) => transaction((tx) => performWrite(tx, operation, args)),
    ),
    dialect: "sqlite",
    transaction,
    migrate: () => migrate(db as unknown as Kysely<unknown>, "sqlite"),
    async ping() {
      await sql`select 1`.execute(db);
      // `/readyz` answers 503 while the writer thread restarts.
      writer?.assertRunning();
    },
    async close() {
      // Transactions already queued here finish first: they need the writer's lock.
      await groupCommit.drain();
      await writer?.stop();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
