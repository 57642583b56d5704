/**
 * Migration 006 on a database that already holds events (a server upgraded from 004): the events
 * survive as they were (SQLite rebuilds the table to let workflow_id be null), their index is
 * back, and an entity event, which names no workflow, can then be written and read.
 */
import assert from "node:assert/strict";
import { chmodSync, readdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { EntityEventRecord, WorkflowEventRecord } from "../src/domain/records.js";
import { openStore } from "../src/store/open.js";
import { MIGRATIONS } from "../src/store/shared/migrations/index.js";
import { openSqliteConnection } from "../src/store/sqlite/connection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { executeSql, queryRows } from "./support/sql.js";

const T = "2025-03-24T10:00:00.000Z";

/** The database as migrations 001–004 left it. */
async function migrateTo004(database: TestDatabase): Promise<void> {
  const { target } = database;
  const pool = target.kind === "postgres" ? new pg.Pool({ connectionString: target.url, max: 1 }) : undefined;
  const db: Kysely<unknown> = pool
    ? new Kysely({ dialect: new PostgresDialect({ pool }) })
    : (openSqliteConnection(target.kind === "sqlite" ? target.path : "") as unknown as Kysely<unknown>);
  try {
    await db.schema
      .createTable("schema_migrations")
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("applied_at", "text", (c) => c.notNull())
      .execute();
    for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) {
      await migration.up(db, { dialect: target.kind });
      await sql`insert into schema_migrations values (${migration.version}, ${migration.name}, ${T})`.execute(
        db,
      );
    }
  } finally {
    await db.destroy();
  }
  // The store refuses a database file others may read; the store itself would have made it so.
  if (target.kind === "sqlite")
    for (const file of readdirSync(path.dirname(target.path)))
      chmodSync(path.join(path.dirname(target.path), file), 0o600);
}

const OLD_EVENT: WorkflowEventRecord = {
  id: "wh_old",
  event_type: "WORKFLOW_STARTED",
  account_id: "sb_m",
  subject_record_id: "sr_m",
  workflow_id: "w_m",
  workflow_type: "BUSINESS_APPLICATION",
  actor_type: "API_KEY",
  actor_id: "ops",
  created_at: T,
};

for (const kind of databaseKinds()) {
  describe(`migration 006 over existing events [${kind}]`, () => {
    let database: TestDatabase | undefined;
    const db = () => {
      if (!database) throw new Error("no database");
      return database;
    };
    before(async () => {
      database = await createTestDatabase(kind);
    });
    after(async () => {
      await database?.drop();
    });

    it("keeps the events and their index, and then takes entity events", async () => {
      await migrateTo004(db());
      const e = OLD_EVENT;
      await executeSql(db(), [
        [
          `insert into events (id, event_type, account_id, subject_record_id, workflow_id, workflow_type,
             actor_type, actor_id, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            e.id,
            e.event_type,
            e.account_id,
            e.subject_record_id,
            e.workflow_id,
            e.workflow_type,
            e.actor_type,
            e.actor_id,
            e.created_at,
          ],
        ],
      ]);
      const store = openStore(db().target);
      try {
        const applied = await store.migrate();
        assert.ok(applied.includes("006_subject_record_data"), applied.join(", "));
        assert.deepEqual(await store.listEvents({ accountId: "sb_m" }), [OLD_EVENT]);
        assert.deepEqual(await store.listEvents({ workflowId: "w_m" }), [OLD_EVENT]);
        const entityEvent: EntityEventRecord = {
          id: "wh_new",
          event_type: "BUSINESS_UPDATED",
          account_id: "sb_m",
          subject_record_id: "sr_m",
          entity_type: "Business",
          entity_id: "b_m",
          fields: ["legal_name", "tax_id"],
          actor_type: "API_KEY",
          actor_id: "ops",
          created_at: "2025-03-24T10:00:01.000Z",
        };
        await store.transaction((tx) => tx.insertEvent(entityEvent));
        assert.deepEqual(await store.listEvents({ accountId: "sb_m" }), [OLD_EVENT, entityEvent]);
      } finally {
        await store.close();
      }
      const indexes =
        kind === "sqlite"
          ? await queryRows(
              db(),
              "select name from sqlite_master where type = 'index' and tbl_name = 'events'",
            )
          : await queryRows(db(), "select indexname as name from pg_indexes where tablename = 'events'");
      assert.ok(
        indexes.some((row) => row.name === "events_by_workflow"),
        JSON.stringify(indexes),
      );
    });
  });
}
