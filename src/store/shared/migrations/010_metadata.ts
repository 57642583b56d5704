import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Metadata (data.md §9, §4.7): the account's type definitions, the subject record's entries and
 * their links. A definition has no ID: `(account_id, metadata_type)` names it, unique (§3.4);
 * `fields` and `details` are JSON text. A link names an entity of any kind (`p_`, `ba_`, `b_`,
 * `l_`) by ID without a foreign key, so a deleted entity's links are dropped by its delete
 * (§3.5: metadata links never block a delete); `position` keeps the link order.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable("metadata_type_definition")
    .addColumn("account_id", key, (c) => c.notNull().references("accounts.id"))
    .addColumn("metadata_type", key, (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("fields", "text", (c) => c.notNull())
    .addColumn("max_count", "integer", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("metadata_type_definition_unique_name")
    .unique()
    .on("metadata_type_definition")
    .columns(["account_id", "metadata_type"])
    .execute();

  await db.schema
    .createTable("metadata_entry")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("subject_record_id", key, (c) => c.notNull().references("subject_records.id"))
    .addColumn("metadata_type", key, (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  // MAX_METADATA_TYPE_LIMIT's count and metadata.list's order (type, then oldest first).
  await db.schema
    .createIndex("metadata_entry_by_subject_record")
    .on("metadata_entry")
    .columns(["subject_record_id", "metadata_type", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("metadata_link")
    .addColumn("metadata_id", key, (c) => c.notNull().references("metadata_entry.id").onDelete("cascade"))
    .addColumn("entity_id", key, (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("metadata_link_pk", ["metadata_id", "entity_id"])
    .execute();
  // The links of a deleted entity, and metadata.list's linked_entity_id filter.
  await db.schema.createIndex("metadata_link_by_entity").on("metadata_link").column("entity_id").execute();
}
