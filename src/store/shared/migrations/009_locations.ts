import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Locations (data.md §4.4, §5.4, §8): the location, its business associations and its bank-account
 * associations with their purposes. Built like 006's bank-account associations: foreign keys that
 * refuse deleting a referenced row, and the rules of data.md §3.4 as unique indexes named in
 * domain/rule-indexes.ts. A location bank account always has 1–10 purposes, so unlike the
 * business's there is no '' row for "none".
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable("location")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("subject_record_id", key, (c) => c.notNull().references("subject_records.id"))
    .addColumn("location_type", "text")
    .addColumn("location_name", "text")
    .addColumn("owner_name", "text")
    .addColumn("owner_type", "text")
    .addColumn("address", "text")
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("location_by_subject_record")
    .on("location")
    .columns(["subject_record_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("business_location")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("business_id", key, (c) => c.notNull().references("business.id"))
    .addColumn("location_id", key, (c) => c.notNull().references("location.id"))
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("business_location_once")
    .unique()
    .on("business_location")
    .columns(["business_id", "location_id"])
    .execute();
  await db.schema
    .createIndex("business_location_by_business")
    .on("business_location")
    .columns(["business_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("business_location_by_location")
    .on("business_location")
    .column("location_id")
    .execute();

  await db.schema
    .createTable("location_bank_account")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("location_id", key, (c) => c.notNull().references("location.id"))
    .addColumn("bank_account_id", key, (c) => c.notNull().references("bank_account.id"))
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("location_bank_account_by_location")
    .on("location_bank_account")
    .columns(["location_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("location_bank_account_by_bank_account")
    .on("location_bank_account")
    .column("bank_account_id")
    .execute();

  // One row per (association, purpose), in the order given (data.md §3.4).
  await db.schema
    .createTable("location_bank_account_purpose")
    .addColumn("location_bank_account_id", key, (c) =>
      c.notNull().references("location_bank_account.id").onDelete("cascade"),
    )
    .addColumn("location_id", key, (c) => c.notNull().references("location.id"))
    .addColumn("bank_account_id", key, (c) => c.notNull().references("bank_account.id"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("location_bank_account_purpose_pk", ["location_bank_account_id", "position"])
    .execute();
  await db.schema
    .createIndex("location_bank_account_purpose_once")
    .unique()
    .on("location_bank_account_purpose")
    .columns(["location_id", "bank_account_id", "purpose"])
    .execute();
  await db.schema
    .createIndex("location_bank_account_purpose_by_bank_account")
    .on("location_bank_account_purpose")
    .column("bank_account_id")
    .execute();
}
