import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Subject-record data, part 1 (data.md §4): the business and its sales info, persons and their
 * issued identifiers, bank accounts, and the business's owner and bank-account associations.
 * Arrays and objects are JSON text. Entities carry their subject record; what hangs off an entity
 * reaches it through that entity. Foreign keys refuse deleting a referenced row (SQLite enforces
 * them: sqlite/connection.ts turns `foreign_keys` on), so a delete that races an add cannot leave
 * a dangling link. The rules of data.md §3.4 that simultaneous requests could both pass are unique
 * indexes, named in domain/rule-indexes.ts. Entity events (§13) need nothing new: they name the
 * entity in the events' `payload` (005_account_data_settings.ts).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable("business")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("subject_record_id", key, (c) => c.notNull().references("subject_records.id"))
    .addColumn("legal_name", "text")
    .addColumn("operating_name", "text")
    .addColumn("registration_type", "text")
    .addColumn("tax_id", "text")
    .addColumn("phone_number", "text")
    .addColumn("email", "text")
    .addColumn("industry_category_codes", "text", (c) => c.notNull())
    .addColumn("addresses", "text", (c) => c.notNull())
    .addColumn("websites", "text", (c) => c.notNull())
    .addColumn("additional_fields", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  // One business per subject record (a PERSON record has none: the write procedure refuses it).
  await db.schema
    .createIndex("business_one_per_subject_record")
    .unique()
    .on("business")
    .column("subject_record_id")
    .execute();

  await db.schema
    .createTable("sales_info")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("business_id", key, (c) => c.notNull().references("business.id"))
    .addColumn("card_brands", "text", (c) => c.notNull())
    .addColumn("sales_method", "text")
    .addColumn("sales_amount", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("sales_info_one_per_business")
    .unique()
    .on("sales_info")
    .column("business_id")
    .execute();

  await db.schema
    .createTable("person")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("subject_record_id", key, (c) => c.notNull().references("subject_records.id"))
    .addColumn("email", "text")
    .addColumn("first_name", "text")
    .addColumn("middle_name", "text")
    .addColumn("last_name", "text")
    .addColumn("date_of_birth", "text")
    .addColumn("tax_id", "text")
    .addColumn("citizenship", "text")
    .addColumn("phone_number", "text")
    .addColumn("addresses", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("person_by_subject_record")
    .on("person")
    .columns(["subject_record_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("person_issued_identifier")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("person_id", key, (c) => c.notNull().references("person.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("issued_number", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("person_issued_identifier_one_per_type")
    .unique()
    .on("person_issued_identifier")
    .columns(["person_id", "type"])
    .execute();
  await db.schema
    .createIndex("person_issued_identifier_by_person")
    .on("person_issued_identifier")
    .columns(["person_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("bank_account")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("subject_record_id", key, (c) => c.notNull().references("subject_records.id"))
    .addColumn("bank_account_ownership_type", "text")
    .addColumn("bank_account_type", "text")
    .addColumn("bank_routing_number", "text", (c) => c.notNull())
    .addColumn("bank_account_number", "text", (c) => c.notNull())
    .addColumn("bank_name", "text")
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("bank_account_by_subject_record")
    .on("bank_account")
    .columns(["subject_record_id", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("business_owner")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("business_id", key, (c) => c.notNull().references("business.id"))
    .addColumn("person_id", key, (c) => c.notNull().references("person.id"))
    .addColumn("ownership_type", "text", (c) => c.notNull())
    .addColumn("ownership_percentage", "integer")
    .addColumn("ownership_year_month", "text")
    .addColumn("business_person_position", "text")
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("business_owner_once_per_person")
    .unique()
    .on("business_owner")
    .columns(["business_id", "person_id"])
    .execute();
  await db.schema
    .createIndex("business_owner_by_business")
    .on("business_owner")
    .columns(["business_id", "created_at", "id"])
    .execute();
  // person.delete's link check, the age rule's owners of a person, and the foreign key's own check.
  await db.schema.createIndex("business_owner_by_person").on("business_owner").column("person_id").execute();

  await db.schema
    .createTable("business_bank_account")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("business_id", key, (c) => c.notNull().references("business.id"))
    .addColumn("bank_account_id", key, (c) => c.notNull().references("bank_account.id"))
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("business_bank_account_by_business")
    .on("business_bank_account")
    .columns(["business_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("business_bank_account_by_bank_account")
    .on("business_bank_account")
    .column("bank_account_id")
    .execute();

  // One row per (association, purpose), in the order given; an association without purposes has
  // one row with purpose '' (data.md §3.4), so "no purpose" is a purpose too.
  await db.schema
    .createTable("business_bank_account_purpose")
    .addColumn("business_bank_account_id", key, (c) =>
      c.notNull().references("business_bank_account.id").onDelete("cascade"),
    )
    .addColumn("business_id", key, (c) => c.notNull().references("business.id"))
    .addColumn("bank_account_id", key, (c) => c.notNull().references("bank_account.id"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("business_bank_account_purpose_pk", ["business_bank_account_id", "position"])
    .execute();
  await db.schema
    .createIndex("business_bank_account_purpose_once")
    .unique()
    .on("business_bank_account_purpose")
    .columns(["business_id", "bank_account_id", "purpose"])
    .execute();
  await db.schema
    .createIndex("business_bank_account_one_primary")
    .unique()
    .on("business_bank_account_purpose")
    .column("business_id")
    .where(sql.raw<boolean>("purpose = 'PRIMARY'"))
    .execute();
  await db.schema
    .createIndex("business_bank_account_purpose_by_bank_account")
    .on("business_bank_account_purpose")
    .column("bank_account_id")
    .execute();
}
