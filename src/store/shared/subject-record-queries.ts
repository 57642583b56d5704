/**
 * The store calls of a subject record's data as a whole (domain/data-store.ts
 * `SubjectRecordDataReads`, `SubjectRecordDataWrites`): the verbose lists of subjectRecord.get and
 * subjectRecord.delete's delete of everything the record holds. Written once with Kysely.
 */
import type { Kysely } from "kysely";
import type { SubjectRecordDataReads, SubjectRecordDataWrites } from "../../domain/data-store.js";
import { deleteMetadataOfSubjectRecord } from "./metadata-queries.js";
import { bankAccountFromRow, personFromRow } from "./rows.js";
import type { Database } from "./schema.js";

export function createSubjectRecordDataReads(db: Kysely<Database>): SubjectRecordDataReads {
  return {
    async listPersonsOfSubjectRecord(subjectRecordId) {
      const rows = await db
        .selectFrom("person")
        .selectAll()
        .where("subject_record_id", "=", subjectRecordId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(personFromRow);
    },
    async listBankAccountsOfSubjectRecord(subjectRecordId) {
      const rows = await db
        .selectFrom("bank_account")
        .selectAll()
        .where("subject_record_id", "=", subjectRecordId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(bankAccountFromRow);
    },
    async subjectRecordHasWorkflows(subjectRecordId) {
      const row = await db
        .selectFrom("workflows")
        .select("id")
        .where("subject_record_id", "=", subjectRecordId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export function createSubjectRecordDataWrites(db: Kysely<Database>): SubjectRecordDataWrites {
  return {
    async deleteSubjectRecord(id) {
      const businesses = db.selectFrom("business").select("id").where("subject_record_id", "=", id);
      const persons = db.selectFrom("person").select("id").where("subject_record_id", "=", id);
      const locations = db.selectFrom("location").select("id").where("subject_record_id", "=", id);
      // Children before what they reference: every foreign key refuses deleting a referenced row.
      await db.deleteFrom("location_bank_account_purpose").where("location_id", "in", locations).execute();
      await db.deleteFrom("location_bank_account").where("location_id", "in", locations).execute();
      await db.deleteFrom("business_location").where("location_id", "in", locations).execute();
      await db.deleteFrom("location").where("subject_record_id", "=", id).execute();
      await db.deleteFrom("business_bank_account_purpose").where("business_id", "in", businesses).execute();
      await db.deleteFrom("business_bank_account").where("business_id", "in", businesses).execute();
      await db.deleteFrom("business_owner").where("business_id", "in", businesses).execute();
      await db.deleteFrom("sales_info").where("business_id", "in", businesses).execute();
      await db.deleteFrom("business").where("subject_record_id", "=", id).execute();
      await db.deleteFrom("person_issued_identifier").where("person_id", "in", persons).execute();
      await db.deleteFrom("person").where("subject_record_id", "=", id).execute();
      await db.deleteFrom("bank_account").where("subject_record_id", "=", id).execute();
      await deleteMetadataOfSubjectRecord(db, id);
      // Documents and their PostgreSQL chunks (data.md §12.2); SQLite files go by housekeeping.
      const documents = db.selectFrom("document").select("id").where("subject_record_id", "=", id);
      await db.deleteFrom("document_chunk").where("document_id", "in", documents).execute();
      await db.deleteFrom("document").where("subject_record_id", "=", id).execute();
      await db.deleteFrom("subject_records").where("id", "=", id).execute();
    },
  };
}
