/**
 * BENCH_PRELOAD=n: n existing workflows (each with its subject record and event, half business
 * applications holding a unique email claim) in the bench account before anything is measured,
 * to see how cost grows with the size of the tables and their indexes. Rows are made exactly like
 * real ones (random Base62 IDs, so index inserts land all over the B-trees, not at one edge) and
 * written in bulk: `unnest` arrays on PostgreSQL, big transactions of prepared inserts on SQLite.
 */
import { randomBytes } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import {
  type CreateRows,
  createRows,
  EVENT_COLUMNS,
  prepareSqliteInserts,
  SUBJECT_RECORD_COLUMNS,
  WORKFLOW_COLUMNS,
} from "./create-rows.js";
import type { BenchDatabase } from "./databases.js";

const BATCH = 10_000;

function* batches(n: number, tag: string): Generator<CreateRows[]> {
  // Oldest first, one second apart, ending now: preloaded rows predate everything measured.
  const start = Date.now() - n * 1000;
  for (let from = 0; from < n; from += BATCH) {
    const size = Math.min(BATCH, n - from);
    yield Array.from({ length: size }, (_, i) =>
      createRows(from + i, tag, { label: "Preload", at: new Date(start + (from + i) * 1000).toISOString() }),
    );
  }
}

const column = <K extends keyof CreateRows>(rows: CreateRows[], key: K) => rows.map((row) => row[key]);

async function preloadPostgres(url: string, accountId: string, n: number, tag: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const rows of batches(n, tag)) {
      await client.query("begin");
      await client.query(
        `insert into subject_records (${SUBJECT_RECORD_COLUMNS})
         select id, $2, 'BUSINESS', at, at from unnest($1::text[], $3::text[]) as t(id, at)`,
        [column(rows, "subjectRecordId"), accountId, column(rows, "at")],
      );
      await client.query(
        `insert into workflows (${WORKFLOW_COLUMNS})
         select id, $2, sr, type, 'STARTED', email, email_lower, first_name, last_name, referrer, claim, at, at, at
         from unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::text[])
           as t(id, sr, type, email, email_lower, first_name, last_name, referrer, claim, at)`,
        [
          column(rows, "workflowId"),
          accountId,
          column(rows, "subjectRecordId"),
          column(rows, "type"),
          column(rows, "email"),
          column(rows, "emailLower"),
          column(rows, "firstName"),
          column(rows, "lastName"),
          column(rows, "referrer"),
          column(rows, "emailClaim"),
          column(rows, "at"),
        ],
      );
      await client.query(
        `insert into events (${EVENT_COLUMNS})
         select id, 'WORKFLOW_STARTED', $2, sr, wf, type, 'API_KEY', 'preload', at
         from unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as t(id, sr, wf, type, at)`,
        [
          column(rows, "eventId"),
          accountId,
          column(rows, "subjectRecordId"),
          column(rows, "workflowId"),
          column(rows, "type"),
          column(rows, "at"),
        ],
      );
      await client.query("commit");
    }
    // What autovacuum would do after a bulk load: fresh statistics and a visibility map.
    await client.query("vacuum analyze subject_records, workflows, events");
  } finally {
    await client.end();
  }
}

function preloadSqlite(file: string, accountId: string, n: number, tag: string): void {
  const db = new BetterSqlite3(file, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL");
    // Set-up data, not a measured write: no fsync per batch; one checkpoint at the end.
    db.pragma("synchronous = OFF");
    const insert = prepareSqliteInserts(db);
    const insertBatch = db.transaction((rows: CreateRows[]) => {
      for (const row of rows) insert(row, accountId);
    });
    for (const rows of batches(n, tag)) insertBatch.immediate(rows);
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

export async function preload(database: BenchDatabase, accountId: string, n: number): Promise<void> {
  const tag = randomBytes(4).toString("hex");
  if (database.target.kind === "postgres") await preloadPostgres(database.target.url, accountId, n, tag);
  else preloadSqlite(database.target.path, accountId, n, tag);
}
