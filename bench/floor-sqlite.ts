/**
 * The SQLite floor: better-sqlite3 on the bench database file (server stopped), WAL mode, foreign
 * keys on, one `BEGIN IMMEDIATE` transaction per create (account check, subject record, workflow
 * with its two rule indexes, event), looping for a fixed time. `synchronous=FULL` is what the
 * server promises; `NORMAL` (no fsync per commit in WAL mode) is measured for reference. The
 * driver is synchronous, so this is one writer — SQLite's only kind.
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
}): FloorResult {
  const db = new BetterSqlite3(options.file, { timeout: 5000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma("foreign_keys = ON");
    const accountCheck = db.prepare(
      "select id, allow_multiple_applications_per_email from accounts where id = ?",
    );
    const insert = prepareSqliteInserts(db);
    const create = db.transaction((sequence: number, tag: string) => {
      const rows = createRows(sequence, tag);
      if (accountCheck.get(options.accountId) === undefined) throw new Error("account not found");
      insert(rows, options.accountId);
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
        create(sequence++, tag);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
    return floorResult({
      database: "sqlite",
      variant: `sqlite synchronous=${options.synchronous}`,
      clients: 1,
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
