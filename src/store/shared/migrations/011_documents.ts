import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Documents (data.md §10): one row per document, and on PostgreSQL its bytes in 1 MiB chunks
 * keyed by (document, chunk index), so every server process serves every document. SQLite keeps
 * the bytes as files under `<data dir>/documents` instead; the chunk table exists there too but
 * stays empty, so both dialects have one schema. Chunks have no foreign key: they are written
 * only in the transaction that completes the upload, and deleted with the document (§12.2) or by
 * the housekeeping job (§10.6).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;
  const bytes = dialect === "postgres" ? sql`bytea` : sql`blob`;

  await db.schema
    .createTable("document")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("subject_record_id", key, (c) => c.notNull().references("subject_records.id"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("file_size", "bigint", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    // PENDING or COMPLETED; EXPIRED is computed when read (§10.4).
    .addColumn("upload_status", "text", (c) => c.notNull())
    .addColumn("upload_deadline", key, (c) => c.notNull())
    .addColumn("security_token", "text", (c) => c.notNull())
    .addColumn("hash", "text")
    // The credential that created the document: DOCUMENT_UPLOADED's user_context (§13).
    .addColumn("creator_name", "text")
    .addColumn("creator_api_key", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("document_by_subject_record")
    .on("document")
    .columns(["subject_record_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("document_by_status_deadline")
    .on("document")
    .columns(["upload_status", "upload_deadline"])
    .execute();

  await db.schema
    .createTable("document_chunk")
    .addColumn("document_id", key, (c) => c.notNull())
    .addColumn("chunk_index", "integer", (c) => c.notNull())
    .addColumn("bytes", bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint("document_chunk_pk", ["document_id", "chunk_index"])
    .execute();
}
