import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * The account data settings of data.md §3.6, the credential's `can_unmask` (§2.6), and events
 * that belong to no workflow with fields of their own (§13: SENSITIVE_DATA_ACCESSED).
 *
 * Column defaults are what an account or credential that exists now gets: the data.md defaults,
 * except `completion_requirements`, `[]` here so that existing accounts complete as they did
 * (new accounts get the default list from the application, account-settings.ts). Existing
 * read-only credentials may not unmask; every other existing credential may.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const accountColumns: [string, "text" | "integer", string | number | null][] = [
    ["completion_requirements", "text", "[]"],
    ["locations_enabled", "integer", 1],
    ["max_owners_per_business", "integer", 25],
    ["max_bank_accounts_per_business", "integer", 20],
    ["max_bank_accounts_per_subject_record", "integer", 50],
    ["minimum_ownership_percentage", "integer", null],
    ["bank_account_purposes", "text", "[]"],
    ["location_bank_account_purposes", "text", "[]"],
    ["issued_identifier_types", "text", "[]"],
  ];
  for (const [name, type, value] of accountColumns) {
    await db.schema
      .alterTable("accounts")
      .addColumn(name, type, (c) => (value === null ? c : c.notNull().defaultTo(value)))
      .execute();
  }

  await db.schema
    .alterTable("credentials")
    .addColumn("can_unmask", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`update credentials set can_unmask = 0 where read_only = 1`.execute(db);

  if (dialect === "postgres") {
    await sql`alter table events alter column workflow_id drop not null`.execute(db);
    await sql`alter table events alter column workflow_type drop not null`.execute(db);
    await db.schema.alterTable("events").addColumn("payload", "text").execute();
    return;
  }
  // SQLite cannot drop a NOT NULL: the table is made again with the same rows.
  await db.schema
    .createTable("events_v5")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("subject_record_id", "text", (c) => c.notNull())
    .addColumn("workflow_id", "text")
    .addColumn("workflow_type", "text")
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("payload", "text")
    .execute();
  await sql`insert into events_v5 (id, event_type, account_id, subject_record_id, workflow_id,
      workflow_type, actor_type, actor_id, created_at)
    select id, event_type, account_id, subject_record_id, workflow_id, workflow_type, actor_type,
      actor_id, created_at from events`.execute(db);
  await db.schema.dropTable("events").execute();
  await db.schema.alterTable("events_v5").renameTo("events").execute();
  await db.schema
    .createIndex("events_by_workflow")
    .on("events")
    .columns(["workflow_id", "created_at"])
    .execute();
}
