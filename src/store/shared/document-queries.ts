/**
 * The store calls of documents (domain/document-store.ts), written once with Kysely for both
 * dialects. Completing an upload stores its bytes in the same transaction as the conditional
 * update: SQLite renames the spooled file to the document's file (the writer thread runs the whole
 * unit, so a losing upload never reaches its rename); PostgreSQL inserts 1 MiB chunk rows, which
 * roll back with the transaction.
 */
import { type Kysely, sql } from "kysely";
import { fileChunks, moveIntoPlace } from "../../documents/blob-files.js";
import { releaseAfter } from "../../documents/memory-valve.js";
import type { DocumentReads, DocumentWrites } from "../../domain/document-store.js";
import type { DocumentRecord, StoredUploadStatus } from "../../domain/documents.js";
import { isListedAccount } from "../../domain/visibility.js";
import type { Dialect } from "../store.js";
import { countOf } from "./counts.js";
import { inScope } from "./data-queries.js";
import { keyset, toPage } from "./pages.js";
import type { Database, DocumentTable } from "./schema.js";

function documentFromRow(row: DocumentTable): DocumentRecord {
  return {
    ...row,
    file_size: Number(row.file_size),
    upload_status: row.upload_status as StoredUploadStatus,
  };
}

function documentQuery(db: Kysely<Database>) {
  return db
    .selectFrom("document")
    .innerJoin("subject_records", "subject_records.id", "document.subject_record_id")
    .selectAll("document")
    .select("subject_records.account_id as account_id");
}

export function createDocumentReads(db: Kysely<Database>): DocumentReads {
  return {
    async getVisibleDocument(id, scope) {
      const row = await documentQuery(db)
        .where("document.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, ...document } = row;
      return documentFromRow(document);
    },
    async getDocument(id) {
      const row = await documentQuery(db).where("document.id", "=", id).executeTakeFirst();
      if (!row) return undefined;
      const { account_id, ...document } = row;
      return { ...documentFromRow(document), account_id };
    },
    async countLiveDocuments(subjectRecordId, now) {
      return countOf(
        db
          .selectFrom("document")
          .where("subject_record_id", "=", subjectRecordId)
          .where((eb) => eb.or([eb("upload_status", "=", "COMPLETED"), eb("upload_deadline", ">=", now)])),
      );
    },
    async listDocuments(subjectRecordId, page) {
      const query = db.selectFrom("document").selectAll().where("subject_record_id", "=", subjectRecordId);
      return toPage(page, (await keyset(query, page, "document").execute()).map(documentFromRow));
    },
    async completedDocumentIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom("document")
        .select("id")
        .where("id", "in", ids)
        .where("upload_status", "=", "COMPLETED")
        .execute();
      return rows.map((row) => row.id);
    },
  };
}

export function createDocumentWrites(db: Kysely<Database>, dialect: Dialect): DocumentWrites {
  return {
    async insertDocument(document) {
      await db.insertInto("document").values(document).execute();
    },
    async completeDocumentUpload({ documentId, hash, now, bytes }) {
      const result = await db
        .updateTable("document")
        .set({ upload_status: "COMPLETED", hash, updated_at: now })
        .where("id", "=", documentId)
        .where("upload_status", "=", "PENDING")
        .where("upload_deadline", ">=", now)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (dialect === "sqlite") {
        await moveIntoPlace(bytes.tempPath, bytes.finalPath);
      } else {
        let index = 0;
        for await (const chunk of fileChunks(bytes.tempPath)) {
          await db
            .insertInto("document_chunk")
            .values({ document_id: documentId, chunk_index: index, bytes: chunk })
            .execute();
          index += 1;
          releaseAfter(chunk.length);
        }
      }
      return true;
    },
    async deleteOrphanDocumentChunks(limit) {
      const orphans = db
        .selectFrom("document_chunk")
        .select(["document_chunk.document_id", "document_chunk.chunk_index"])
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("document")
                .select(sql.lit(1).as("one"))
                .whereRef("document.id", "=", "document_chunk.document_id")
                .where("document.upload_status", "=", "COMPLETED"),
            ),
          ),
        )
        .limit(limit);
      const rows = await orphans.execute();
      for (const row of rows) {
        await db
          .deleteFrom("document_chunk")
          .where("document_id", "=", row.document_id)
          .where("chunk_index", "=", row.chunk_index)
          .execute();
      }
      return rows.length;
    },
  };
}
