/**
 * Group commit for SQLite. better-sqlite3 is synchronous, so every COMMIT's fsync (with
 * synchronous=FULL) blocks the event loop; one per request caps throughput near 1/fsync-time.
 * Instead, the write transactions that arrive while one batch commits are run together in the
 * next one: one BEGIN IMMEDIATE, each job in its own SAVEPOINT (a job that fails — a rule-index
 * violation, say — is rolled back alone and cannot affect its neighbours), one COMMIT and one
 * fsync for the batch. No job's promise settles before the batch is durable.
 */
import { CompiledQuery, type Kysely } from "kysely";
import { createConnectionSlot } from "../shared/connection-slot.js";
import type { Database } from "../shared/schema.js";

interface Job<Tx> {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

// Compiled once: a batch runs these around every job.
const BEGIN = CompiledQuery.raw("begin immediate");
const SAVEPOINT = CompiledQuery.raw("savepoint job");
const RELEASE = CompiledQuery.raw("release job");
const ROLLBACK_TO = CompiledQuery.raw("rollback to job");
const COMMIT = CompiledQuery.raw("commit");
const ROLLBACK = CompiledQuery.raw("rollback");

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommit<Tx> {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Resolves once every job queued so far has settled. */
  drain(): Promise<void>;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  /**
   * Runs each batch while holding a lock shared with another writer on the same file (the serving
   * thread and the writer thread, sqlite-writer.ts), so neither waits in SQLite's busy handler.
   */
  exclusive?: <T>(batch: () => Promise<T>) => Promise<T>;
  /**
   * Runs after each batch has committed and its jobs have settled, still exclusive: keeping the
   * WAL small (sqlite-wal-limit.ts). A failure here fails no job; the next batch runs it again.
   */
  afterBatch?: () => Promise<void>;
}

export function createGroupCommit<Tx>(
  db: Kysely<Database>,
  txOn: (connection: Kysely<Database>) => Tx,
  options: GroupCommitOptions = {},
): GroupCommit<Tx> {
  const maxBatch = options.maxBatch ?? 256;
  const exclusive = options.exclusive ?? ((batch) => batch());
  const afterBatch = options.afterBatch;
  let queue: Job<Tx>[] = [];
  let flushing = false;
  let drained: (() => void)[] = [];
  // The store's queries, built once: each batch lends them its connection (connection-slot.ts).
  const slot = createConnectionSlot();
  const tx = txOn(slot.db);

  async function runBatch(batch: Job<Tx>[]): Promise<Outcome[]> {
    return db.connection().execute((connection) => slot.lend(connection, () => runOn(connection, batch)));
  }

  async function runOn(connection: Kysely<Database>, batch: Job<Tx>[]): Promise<Outcome[]> {
    await connection.executeQuery(BEGIN);
    const outcomes: Outcome[] = [];
    for (const job of batch) {
      await connection.executeQuery(SAVEPOINT);
      try {
        const value = await job.work(tx);
        await connection.executeQuery(RELEASE);
        outcomes.push({ ok: true, value });
      } catch (error) {
        await connection.executeQuery(ROLLBACK_TO);
        await connection.executeQuery(RELEASE);
        outcomes.push({ ok: false, error });
      }
    }
    try {
      await connection.executeQuery(COMMIT);
    } catch (error) {
      await connection.executeQuery(ROLLBACK).catch(() => undefined);
      return batch.map(() => ({ ok: false as const, error }));
    }
    return outcomes;
  }

  async function flush(): Promise<void> {
    // One batch at a time: whatever arrives meanwhile waits and joins the next one.
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      let outcomes: Outcome[];
      try {
        outcomes = await exclusive(() => runBatch(batch));
      } catch (error) {
        outcomes = batch.map(() => ({ ok: false as const, error }));
      }
      batch.forEach((job, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) job.resolve(outcome.value);
        else job.reject(outcome ? outcome.error : new Error("batch ended without an outcome"));
      });
      if (afterBatch) await exclusive(afterBatch).catch(() => undefined);
    }
    flushing = false;
    for (const resolve of drained) resolve();
    drained = [];
  }

  return {
    drain: () => (flushing ? new Promise<void>((resolve) => drained.push(resolve)) : Promise.resolve()),
    run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!flushing) {
          flushing = true;
          // Let every request already read from the sockets in this turn join the first batch.
          setImmediate(() => void flush());
        }
      });
    },
  };
}
