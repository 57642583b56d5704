import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * The core tables. On PostgreSQL, IDs and times use the "C" collation so that ordering
 * (pagination ties broken by ID) is byte order, exactly as on SQLite.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable("organizations")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("accounts")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("organization_id", key, (c) => c.notNull().references("organizations.id"))
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("allow_multiple_applications_per_email", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("accounts_by_org")
    .on("accounts")
    .columns(["organization_id", "created_at"])
    .execute();

  await db.schema
    .createTable("credentials")
    .addColumn("api_key", key, (c) => c.primaryKey())
    .addColumn("organization_id", key, (c) => c.notNull().references("organizations.id"))
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("secret_key_sealed", "text", (c) => c.notNull())
    .addColumn("auth_token_hash", "text", (c) => c.notNull())
    .addColumn("signature_policy", "text", (c) => c.notNull())
    .addColumn("read_only", "integer", (c) => c.notNull())
    .addColumn("account_ids", "text")
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("revoked_at", key)
    .execute();

  for (const table of ["pricing_models", "equipment_collections"]) {
    await db.schema
      .createTable(table)
      .addColumn("id", key, (c) => c.primaryKey())
      .addColumn("account_id", key, (c) => c.notNull().references("accounts.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("created_at", key, (c) => c.notNull())
      .execute();
  }

  await db.schema
    .createTable("subject_records")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("account_id", key, (c) => c.notNull().references("accounts.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("subject_records_by_account")
    .on("subject_records")
    .columns(["account_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("workflows")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("account_id", key, (c) => c.notNull().references("accounts.id"))
    .addColumn("subject_record_id", key, (c) => c.notNull().references("subject_records.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("applying_user_email", "text")
    .addColumn("applying_user_email_lower", "text")
    .addColumn("applying_user_first_name", "text")
    .addColumn("applying_user_last_name", "text")
    .addColumn("pricing_model_id", key)
    .addColumn("equipment_collection_id", key)
    .addColumn("referrer_value", "text")
    .addColumn("email_claim", "text")
    .addColumn("started_at", key)
    .addColumn("ended_at", key)
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  // Rule 6: one BUSINESS_APPLICATION per subject record, whatever its state.
  await db.schema
    .createIndex("workflows_one_ba_per_subject_record")
    .unique()
    .on("workflows")
    .column("subject_record_id")
    .where(sql.raw<boolean>("type = 'BUSINESS_APPLICATION'"))
    .execute();
  // Rule 7: one applicant email per account while the account enforces it (see email_claim).
  await db.schema
    .createIndex("workflows_unique_email_claim")
    .unique()
    .on("workflows")
    .columns(["account_id", "email_claim"])
    .where(sql.raw<boolean>("email_claim is not null"))
    .execute();
  await db.schema
    .createIndex("workflows_ba_by_email")
    .on("workflows")
    .columns(["account_id", "applying_user_email_lower"])
    .where(sql.raw<boolean>("applying_user_email_lower is not null"))
    .execute();
  await db.schema
    .createIndex("workflows_by_subject_record")
    .on("workflows")
    .columns(["subject_record_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("events")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("account_id", key, (c) => c.notNull())
    .addColumn("subject_record_id", key, (c) => c.notNull())
    .addColumn("workflow_id", key, (c) => c.notNull())
    .addColumn("workflow_type", "text", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("events_by_workflow")
    .on("events")
    .columns(["workflow_id", "created_at"])
    .execute();

  await db.schema
    .createTable("nonces")
    .addColumn("api_key", key, (c) => c.notNull())
    .addColumn("nonce", key, (c) => c.notNull())
    .addColumn("seen_at", key, (c) => c.notNull())
    .addPrimaryKeyConstraint("nonces_pk", ["api_key", "nonce"])
    .execute();
  await db.schema.createIndex("nonces_by_time").on("nonces").column("seen_at").execute();
}
