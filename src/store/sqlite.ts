/**
 * SQLite adapter: better-sqlite3 in WAL mode with a busy timeout and synchronous=FULL, so a
 * committed write survives a power cut and admin commands can run beside `serve`.
 *
 * Writes are group-committed (sqlite-group-commit.ts). With `writerThread` (what `serve` uses)
 * they also run on a thread of their own (sqlite-writer.ts), off the event loop that serves HTTP.
 */
import { type Kysely, sql } from "kysely";
import { createWorkflowInTransaction } from "./create-workflow-generic.js";
import { migrate } from "./migrate.js";
import type { Database } from "./schema.js";
import { startCheckpointer } from "./sqlite-checkpointer.js";
import { DEFAULT_BUSY_TIMEOUT_MS, openSqliteConnection, sqliteTxOn } from "./sqlite-connection.js";
import { createGroupCommit, type GroupCommit } from "./sqlite-group-commit.js";
import { type SqliteWriter, startSqliteWriter } from "./sqlite-writer.js";
import { WRITE_METHODS, type WriteMethod } from "./sqlite-writer-protocol.js";
import type { Store, StoreOperations, StoreTx } from "./store.js";

export interface SqliteOptions {
  path: string;
  busyTimeoutMs?: number;
  /** Run writes on a writer thread. Ignored for `:memory:`, which another thread cannot open. */
  writerThread?: boolean;
}

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Stand-alone writes and workflow.create, as jobs of the next batch on this thread. */
type Writes = Pick<StoreTx, WriteMethod> & StoreOperations;

function writesInThread(groupCommit: GroupCommit): Writes {
  const writes: Record<string, AnyMethod> = {};
  for (const name of WRITE_METHODS) {
    writes[name] = (...args) => groupCommit.run((tx) => (tx[name] as AnyMethod)(...args));
  }
  return {
    // The cast only erases each method's own signature; arguments pass through untouched.
    ...(writes as unknown as Pick<StoreTx, WriteMethod>),
    createWorkflow: (plan) => groupCommit.run((tx) => createWorkflowInTransaction(tx, plan)),
  };
}

/** The same, sent to the writer thread. */
function writesOnWriter(writer: SqliteWriter): Writes {
  const writes: Record<string, AnyMethod> = {};
  for (const name of WRITE_METHODS) writes[name] = (...args) => writer.call(name, args);
  return {
    // The cast only erases each method's own signature; arguments pass through untouched.
    ...(writes as unknown as Pick<StoreTx, WriteMethod>),
    createWorkflow: (plan) =>
      writer.call("createWorkflow", [plan]) as ReturnType<StoreOperations["createWorkflow"]>,
  };
}

export function openSqliteStore(options: SqliteOptions): Store {
  const inMemory = options.path === ":memory:";
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const db: Kysely<Database> = openSqliteConnection(options.path, busyTimeoutMs);
  const checkpointer = inMemory ? undefined : startCheckpointer(options.path);
  const writer =
    options.writerThread && !inMemory ? startSqliteWriter(options.path, busyTimeoutMs) : undefined;
  // Transactions written as closures run here; with a writer thread, under its lock.
  const groupCommit = createGroupCommit(db, sqliteTxOn, writer ? { exclusive: writer.withWriteLock } : {});

  return {
    ...sqliteTxOn(db),
    ...(writer ? writesOnWriter(writer) : writesInThread(groupCommit)),
    dialect: "sqlite",
    transaction: (work) => groupCommit.run(work),
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
