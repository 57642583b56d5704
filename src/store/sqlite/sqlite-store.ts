/**
 * SQLite adapter: better-sqlite3 in WAL mode with a busy timeout and synchronous=FULL, so a
 * committed write survives a power cut and admin commands can run beside `serve`.
 *
 * Every write is a job of a group commit (sqlite-group-commit.ts) on the one connection that
 * writes. With `writerThread` (what `serve` uses) that connection lives on a thread of its own
 * (sqlite-writer.ts), off the event loop that serves HTTP, and this thread's connection is
 * read-only: SQLite itself refuses any write that would go around the writer.
 */
import { type Kysely, sql } from "kysely";
import { reusedQueries } from "../shared/connection-slot.js";
import { migrate } from "../shared/migrate.js";
import type { Database } from "../shared/schema.js";
import { writeAlone } from "../shared/unit-of-work.js";
import { createGroupCommit } from "../speed-ups/sqlite-group-commit.js";
import { runClosure, type SqliteWriter, startSqliteWriter } from "../speed-ups/sqlite-writer.js";
import { perform } from "../speed-ups/sqlite-writer-protocol.js";
import type { Store, StoreTx } from "../store.js";
import { startCheckpointer } from "./checkpointer.js";
import {
  DEFAULT_BUSY_TIMEOUT_MS,
  openSqliteConnection,
  type SqliteTx,
  type SqliteWriteName,
  type SqliteWrites,
  sqliteReadsOn,
  sqliteTxOn,
  sqliteWritesOn,
} from "./connection.js";
import { prepareSqliteFiles } from "./files.js";
import { createWalLimit, WAL_RESTART_BYTES } from "./wal-limit.js";

export interface SqliteOptions {
  path: string;
  busyTimeoutMs?: number;
  /** Run writes on a writer thread. Ignored for `:memory:`, which another thread cannot open. */
  writerThread?: boolean;
  /** false: no writer thread and no group commit, each transaction on its own (open.ts). */
  speedUps?: boolean;
  /** The WAL size past which writes start it over (sqlite-wal-limit.ts); tests make it small. */
  walRestartBytes?: number;
}

type Forward = (name: string, args: unknown[]) => Promise<unknown>;

/**
 * An object with a method for each name in `names`, each forwarded by name. The names come from
 * the objects that define the queries (sqlite-connection.ts), so none is listed by hand.
 */
function forwarding<T>(names: readonly string[], forward: Forward): T {
  const methods: Record<string, unknown> = {};
  for (const name of names) methods[name] = (...args: unknown[]) => forward(name, args);
  // The cast only erases each method's own signature; arguments pass through untouched.
  return methods as T;
}

/** Transactions and stand-alone writes through the writer thread; reads on `db`, read-only. */
function viaWriter(db: Kysely<Database>, writer: SqliteWriter) {
  const writeNames = Object.keys(sqliteWritesOn(db)) as SqliteWriteName[];
  // A closure's reads go to the writer too: they must see the transaction's own writes.
  const txNames = Object.keys(sqliteTxOn(db));
  return {
    ...forwarding<SqliteWrites>(writeNames, (name, args) => writer.call(name as SqliteWriteName, args)),
    /**
     * A closure cannot cross to another thread, so it runs here and each query of its `tx` is
     * one message to the writer, which holds the transaction open as a job of its group commit.
     * Every write still runs on the writer's connection.
     */
    async transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
      const transaction = await writer.begin();
      let value: T;
      try {
        value = await runClosure(() => work(forwarding<StoreTx>(txNames, transaction.call)));
      } catch (error) {
        await transaction.end(false).catch(() => undefined);
        throw error;
      }
      await transaction.end(true);
      return value;
    },
    migrate: () => writer.migrate(),
  };
}

/** Without a writer thread (admin commands, `:memory:`), the same jobs run on this thread's connection. */
function inThisThread(db: Kysely<Database>, afterBatch?: () => Promise<void>) {
  const groupCommit = createGroupCommit(db, sqliteTxOn, { afterBatch });
  const writeNames = Object.keys(sqliteWritesOn(db));
  return {
    ...forwarding<SqliteWrites>(writeNames, (name, args) => groupCommit.run((tx) => perform(tx, name, args))),
    transaction: <T>(work: (tx: StoreTx) => Promise<T>) => groupCommit.run(work),
    migrate: () => migrate(db as unknown as Kysely<unknown>, "sqlite"),
    drain: () => groupCommit.drain(),
  };
}

/**
 * The plain path, for the differential test (open.ts `speedUps: false`): no writer thread and no
 * group commit; each transaction and each stand-alone write is its own BEGIN IMMEDIATE … COMMIT.
 */
function plainPath(db: Kysely<Database>) {
  const txQueries = reusedQueries(sqliteTxOn);
  const transaction = <T>(work: (tx: SqliteTx) => Promise<T>) =>
    db.transaction().execute((trx) => txQueries.on(trx, work));
  const writeNames = Object.keys(sqliteWritesOn(db));
  return {
    ...forwarding<SqliteWrites>(writeNames, (name, args) => transaction((tx) => perform(tx, name, args))),
    transaction,
    migrate: () => migrate(db as unknown as Kysely<unknown>, "sqlite"),
  };
}

export function openSqliteStore(options: SqliteOptions): Store {
  const inMemory = options.path === ":memory:";
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  prepareSqliteFiles(options.path);
  const speedUps = options.speedUps ?? true;
  const threaded = speedUps && options.writerThread === true && !inMemory;
  const walRestartBytes = options.walRestartBytes ?? WAL_RESTART_BYTES;
  const db = openSqliteConnection(options.path, busyTimeoutMs, { readonly: threaded, walRestartBytes });
  const checkpointer = inMemory ? undefined : startCheckpointer(options.path);
  // Whichever thread writes keeps the WAL small after its batches (the writer thread its own).
  const writer = threaded ? startSqliteWriter(options.path, busyTimeoutMs, walRestartBytes) : undefined;
  const walLimit = inMemory
    ? undefined
    : createWalLimit({ db, file: options.path, restartBytes: walRestartBytes, busyTimeoutMs });
  const { drain, ...writes } = writer
    ? { ...viaWriter(db, writer), drain: undefined }
    : speedUps
      ? inThisThread(db, walLimit)
      : { ...plainPath(db), drain: undefined };

  return {
    ...sqliteReadsOn(db),
    ...writes,
    write: writeAlone(writes.runUnitOfWork, writes.settleGuard),
    dialect: "sqlite",
    async ping() {
      await sql`select 1`.execute(db);
      // `/readyz` answers 503 while the writer thread restarts.
      writer?.assertRunning();
    },
    load: () => (writer ? { writerQueue: writer.queueDepth() } : {}),
    async close() {
      // Transactions already queued finish first.
      await drain?.();
      await writer?.stop();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
