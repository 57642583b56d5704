/**
 * The SQLite floor: better-sqlite3 on the bench database file (server stopped), WAL mode, foreign
 * keys on, one `BEGIN IMMEDIATE` transaction per create (account check, subject record, workflow
 * with its two rule indexes, event), looping for a fixed time. `synchronous=FULL` is what the
 * server promises; `NORMAL` (no fsync per commit in WAL mode) is measured for reference. The
 * driver is synchronous, so this is one writer — SQLite's only kind.
 */
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import {
  createRows,
  EVENT_COLUMNS,
  eventValues,
  placeholders,
  SUBJECT_RECORD_COLUMNS,
  subjectRecordValues,
  WORKFLOW_COLUMNS,
  workflowValues,
} from "./create-rows.js";
import type { FloorResult } from "./floor-postgres.js";
import { round, startCpuSpan, summarise } from "./stats.js";

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
    const insertSubjectRecord = db.prepare(
      `insert into subject_records (${SUBJECT_RECORD_COLUMNS}) values (${placeholders(5, "sqlite")})`,
    );
    const insertWorkflow = db.prepare(
      `insert into workflows (${WORKFLOW_COLUMNS}) values (${placeholders(14, "sqlite")})`,
    );
    const insertEvent = db.prepare(
      `insert into events (${EVENT_COLUMNS}) values (${placeholders(9, "sqlite")})`,
    );
    const create = db.transaction((sequence: number, tag: string) => {
      const rows = createRows(sequence, tag);
      if (accountCheck.get(options.accountId) === undefined) throw new Error("account not found");
      insertSubjectRecord.run(subjectRecordValues(rows, options.accountId));
      insertWorkflow.run(workflowValues(rows, options.accountId));
      insertEvent.run(eventValues(rows, options.accountId));
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
    const elapsedS = (performance.now() - started) / 1000;
    return {
      database: "sqlite",
      variant: `sqlite synchronous=${options.synchronous}`,
      clients: 1,
      duration_s: round(elapsedS, 3),
      transactions: latencies.length,
      tps: round(latencies.length / elapsedS, 1),
      ...summarise(latencies),
      errors,
      first_error: firstError,
      cpu: endSpan(),
    };
  } finally {
    db.close();
  }
}
