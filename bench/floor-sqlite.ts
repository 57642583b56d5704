/**
 * The SQLite floor: better-sqlite3 on the bench database file (server stopped), WAL mode, foreign
 * keys on, one `BEGIN IMMEDIATE` transaction per create (account check, subject record, workflow
 * with its two rule indexes, event), looping for a fixed time. `synchronous=FULL` is what the
 * server promises; `NORMAL` (no fsync per commit in WAL mode) is measured for reference. The
 * driver is synchronous, so this is one writer — SQLite's only kind.
 *
 * With `perTransaction` above 1 each transaction writes that many creates: the best case of the
 * server's group commit, which shares a transaction's commit, fsync and touched pages among the
 * creates of a batch. Its CPU per create is what SQLite itself costs a create under load — the
 * part of the server's CPU no change to Vetted's code can remove (docs/performance.md).
 */
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { createRows, prepareSqliteInserts } from "./create-rows.js";
import { type FloorResult, floorResult } from "./floor-result.js";
import { startCpuSpan } from "./stats.js";

export type SqliteSynchronous = "FULL" | "NORMAL";

export function runSqliteFloor(options: {
  file: string;
  accountId: string;
  synchronous: SqliteSynchronous;
  durationS: number;
  /** Creates per transaction (default 1). */
  perTransaction?: number;
}): FloorResult {
  const perTransaction = options.perTransaction ?? 1;
  const db = new BetterSqlite3(options.file, { timeout: 5000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma("foreign_keys = ON");
    const accountCheck = db.prepare(
      "select id, allow_multiple_applications_per_email from accounts where id = ?",
    );
    const insert = prepareSqliteInserts(db);
    const create = db.transaction((first: number, tag: string) => {
      for (let sequence = first; sequence < first + perTransaction; sequence++) {
        const rows = createRows(sequence, tag);
        if (accountCheck.get(options.accountId) === undefined) throw new Error("account not found");
        insert(rows, options.accountId);
      }
    }).immediate;

    const tag = randomBytes(4).toString("hex");
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | null = null;
    const endSpan = startCpuSpan();
    const started = performance.now();
    const deadline = started + options.durationS * 1000;
    let sequence = 0;
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        create(sequence, tag);
        sequence += perTransaction;
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
    return floorResult({
      database: "sqlite",
      variant:
        perTransaction === 1
          ? `sqlite synchronous=${options.synchronous}`
          : `sqlite synchronous=${options.synchronous}, ${perTransaction} per transaction`,
      clients: 1,
      createsPerTransaction: perTransaction,
      elapsedS: (performance.now() - started) / 1000,
      latenciesMs: latencies,
      errors,
      firstError,
      cpu: endSpan(),
    });
  } finally {
    db.close();
  }
}
