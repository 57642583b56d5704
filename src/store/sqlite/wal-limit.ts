/**
 * Keeps the SQLite WAL small under continuous writes. The checkpointer thread's PASSIVE
 * checkpoints copy the WAL into the database beside the writes, but SQLite starts the WAL over
 * only when a write begins after a checkpoint copied all of it and no reader still uses it; with
 * a write always in progress a PASSIVE checkpoint never catches up, so the WAL grew by every page
 * every create wrote (94 MB after 4,000 creates, issue 12 item 9), along with the wal-index that
 * every read searches and the page cache it occupies.
 *
 * So after a batch of writes, when the -wal file has passed `restartBytes`, the writing thread
 * runs a RESTART checkpoint on its own connection: no other write can be under way (it holds the
 * write lock), the checkpointer has already copied nearly all frames, and new readers no longer
 * use the WAL once all of it is in the database, so the next write starts the WAL from its
 * beginning. `journal_size_limit` (set to the same size, sqlite-connection.ts) then truncates a
 * WAL that grew past it back to that size. Checking costs one stat() per batch.
 */
import fs from "node:fs";
import { type Kysely, sql } from "kysely";
import type { Database } from "../shared/schema.js";

/**
 * The WAL size past which it is started over: big enough that the checkpointer thread's PASSIVE
 * checkpoints have copied most of it by then, so the RESTART on the writing thread has little left
 * to do. A small limit made the writer do the copying itself many times a second
 * (docs/performance.md, 2026-12-04).
 */
export const WAL_RESTART_BYTES = 64 * 2 ** 20;

/**
 * How long a RESTART waits for a reader or another process's write before giving up until the
 * next batch. Writes on this connection wait meanwhile, so the wait is short.
 */
const RESTART_BUSY_TIMEOUT_MS = 20;

export function createWalLimit(options: {
  db: Kysely<Database>;
  file: string;
  restartBytes: number;
  busyTimeoutMs: number;
}): () => Promise<void> {
  const walFile = `${options.file}-wal`;
  // A pragma takes no parameters, so these two are the only SQL text built here: from whole
  // numbers, checked once (test/security.test.ts allows exactly these two names in sql.raw).
  const restartTimeoutPragma = busyTimeoutPragma(RESTART_BUSY_TIMEOUT_MS);
  const usualTimeoutPragma = busyTimeoutPragma(options.busyTimeoutMs);
  return async () => {
    let size: number;
    try {
      size = fs.statSync(walFile).size;
    } catch {
      return;
    }
    if (size <= options.restartBytes) return;
    await options.db.connection().execute(async (connection) => {
      await sql.raw(restartTimeoutPragma).execute(connection);
      try {
        // Busy (a reader or another checkpoint still at it) is a result row, not an error: the
        // next batch tries again.
        await sql`pragma wal_checkpoint(RESTART)`.execute(connection);
      } finally {
        await sql.raw(usualTimeoutPragma).execute(connection);
      }
    });
  };
}

function busyTimeoutPragma(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new Error(`busy timeout must be a whole number of ms, got ${ms}`);
  return `pragma busy_timeout = ${ms}`;
}
