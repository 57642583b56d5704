/**
 * The store calls of the account document-type catalogue (domain/document-types.ts), written once
 * with Kysely for both dialects.
 */
import type { Kysely } from "kysely";
import type {
  AccountDocumentType,
  AccountDocumentTypeStatus,
  DocumentTypeReads,
  DocumentTypeWrites,
} from "../../domain/document-types.js";
import { keyset, toPage } from "./pages.js";
import type { AccountDocumentTypesTable, Database } from "./schema.js";

function fromRow(row: AccountDocumentTypesTable): AccountDocumentType {
  return {
    ...row,
    status: row.status as AccountDocumentTypeStatus,
    alternate_requirements: JSON.parse(row.alternate_requirements) as string[],
  };
}

function toRow(type: AccountDocumentType): AccountDocumentTypesTable {
  return { ...type, alternate_requirements: JSON.stringify(type.alternate_requirements) };
}

export function createDocumentTypeReads(db: Kysely<Database>): DocumentTypeReads {
  return {
    async listAccountDocumentTypes(accountId, page) {
      const query = db.selectFrom("account_document_types").selectAll().where("account_id", "=", accountId);
      return toPage(page, (await keyset(query, page).execute()).map(fromRow));
    },
    async getAccountDocumentType(accountId, code) {
      const row = await db
        .selectFrom("account_document_types")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("document_type_code", "=", code)
        .executeTakeFirst();
      return row && fromRow(row);
    },
  };
}

export function createDocumentTypeWrites(db: Kysely<Database>): DocumentTypeWrites {
  return {
    async insertAccountDocumentTypes(types) {
      if (types.length > 0) await db.insertInto("account_document_types").values(types.map(toRow)).execute();
    },
    async insertAccountDocumentTypeIfFree(type) {
      // Do-nothing on the unique code: a duplicate is an answer, not a driver error that would
      // abort a PostgreSQL transaction; a simultaneous insert of the same code is waited for.
      const result = await db
        .insertInto("account_document_types")
        .values(toRow(type))
        .onConflict((oc) => oc.columns(["account_id", "document_type_code"]).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async updateAccountDocumentType(accountId, code, patch) {
      const { alternate_requirements, ...rest } = patch;
      const values: Partial<AccountDocumentTypesTable> = Object.fromEntries(
        Object.entries(rest).filter(([, value]) => value !== undefined),
      );
      if (alternate_requirements !== undefined)
        values.alternate_requirements = JSON.stringify(alternate_requirements);
      const row = await db
        .updateTable("account_document_types")
        .set(values)
        .where("account_id", "=", accountId)
        .where("document_type_code", "=", code)
        .returningAll()
        .executeTakeFirst();
      return row && fromRow(row);
    },
  };
}
