/**
 * The store calls of subject-record data (domain/data-store.ts), written once with Kysely for
 * both dialects. An entity is visible through its subject record's account, in one query, as the
 * core lookups are (hot-queries.ts `visibleByAccount`); sales info through its business.
 */
import { type Kysely, sql } from "kysely";
import type { DataReads, DataWrites } from "../../domain/data-store.js";
import type { WorkflowState } from "../../domain/records.js";
import { isListedAccount, type VisibilityScope } from "../../domain/visibility.js";
import type { Dialect } from "../store.js";
import {
  bankAccountFromRow,
  businessBankAccountFromRow,
  businessFromRow,
  businessToRow,
  personFromRow,
  salesInfoFromRow,
  salesInfoToRow,
  subjectRecordFromRow,
} from "./rows.js";
import type { Database } from "./schema.js";
import { createSubjectRecordDataReads, createSubjectRecordDataWrites } from "./subject-record-queries.js";

/** The business with its sales info's ID and its record's account. */
function businessQuery(db: Kysely<Database>) {
  return db
    .selectFrom("business")
    .innerJoin("subject_records", "subject_records.id", "business.subject_record_id")
    .leftJoin("sales_info", "sales_info.business_id", "business.id")
    .selectAll("business")
    .select(["sales_info.id as sales_info_id", "subject_records.account_id as account_id"]);
}

/** Sales info with its business's subject record and that record's account. */
function salesInfoQuery(db: Kysely<Database>) {
  return db
    .selectFrom("sales_info")
    .innerJoin("business", "business.id", "sales_info.business_id")
    .innerJoin("subject_records", "subject_records.id", "business.subject_record_id")
    .selectAll("sales_info")
    .select(["business.subject_record_id as subject_record_id", "subject_records.account_id as account_id"]);
}

/**
 * Only rows whose subject record's account is in the scope's organization and environment (a
 * query joined to `subject_records`); a narrowed credential's account list is checked on the row.
 */
function inScope(scope: VisibilityScope) {
  return sql<boolean>`exists (select 1 from accounts where accounts.id = subject_records.account_id
    and accounts.organization_id = ${scope.organization_id} and accounts.environment = ${scope.environment})`;
}

export function createDataReads(db: Kysely<Database>): DataReads {
  const toBusiness = ({ sales_info_id, account_id: _, ...row }: BusinessRow) =>
    businessFromRow(row, sales_info_id);
  const toSalesInfo = ({ subject_record_id, account_id: _, ...row }: SalesInfoRow) =>
    salesInfoFromRow(row, subject_record_id);

  return {
    ...createSubjectRecordDataReads(db),
    async businessApplicationState(subjectRecordId) {
      const row = await db
        .selectFrom("workflows")
        .select("state")
        .where("subject_record_id", "=", subjectRecordId)
        .where("type", "=", "BUSINESS_APPLICATION")
        .executeTakeFirst();
      return row?.state as WorkflowState | undefined;
    },
    async getVisibleBusiness(id, scope) {
      const row = await businessQuery(db)
        .where("business.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      return row && isListedAccount(scope, row.account_id) ? toBusiness(row) : undefined;
    },
    async businessOfSubjectRecord(subjectRecordId) {
      const row = await businessQuery(db)
        .where("business.subject_record_id", "=", subjectRecordId)
        .executeTakeFirst();
      return row && toBusiness(row);
    },
    async businessLinks(businessId) {
      const owner = await db
        .selectFrom("business_owner")
        .select("id")
        .where("business_id", "=", businessId)
        .limit(1)
        .executeTakeFirst();
      const bankAccount = await db
        .selectFrom("business_bank_account")
        .select("id")
        .where("business_id", "=", businessId)
        .limit(1)
        .executeTakeFirst();
      return { owners: owner !== undefined, bankAccounts: bankAccount !== undefined };
    },
    async getVisibleSalesInfo(id, scope) {
      const row = await salesInfoQuery(db)
        .where("sales_info.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      return row && isListedAccount(scope, row.account_id) ? toSalesInfo(row) : undefined;
    },
    async getSalesInfo(id) {
      const row = await salesInfoQuery(db).where("sales_info.id", "=", id).executeTakeFirst();
      return row && toSalesInfo(row);
    },
    async listBusinessOwners(businessId) {
      return db
        .selectFrom("business_owner")
        .selectAll()
        .where("business_id", "=", businessId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    },
    async listBusinessBankAccounts(businessId) {
      const associations = await db
        .selectFrom("business_bank_account")
        .selectAll()
        .where("business_id", "=", businessId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      if (associations.length === 0) return [];
      const purposes = await db
        .selectFrom("business_bank_account_purpose")
        .select(["business_bank_account_id", "purpose", "position"])
        .where("business_id", "=", businessId)
        .execute();
      return associations.map((row) =>
        businessBankAccountFromRow(
          row,
          purposes.filter((p) => p.business_bank_account_id === row.id),
        ),
      );
    },
    async getPersons(ids) {
      if (ids.length === 0) return [];
      return (await db.selectFrom("person").selectAll().where("id", "in", ids).execute()).map(personFromRow);
    },
    async getBankAccounts(ids) {
      if (ids.length === 0) return [];
      return (await db.selectFrom("bank_account").selectAll().where("id", "in", ids).execute()).map(
        bankAccountFromRow,
      );
    },
  };
}

type BusinessRow = Awaited<ReturnType<ReturnType<typeof businessQuery>["executeTakeFirstOrThrow"]>>;
type SalesInfoRow = Awaited<ReturnType<ReturnType<typeof salesInfoQuery>["executeTakeFirstOrThrow"]>>;

/** A write whose rule-index violation becomes its domain error (repository.ts `translated`). */
export type Translate = <T>(work: () => Promise<T>) => Promise<T>;

export function createDataWrites(db: Kysely<Database>, dialect: Dialect, translated: Translate): DataWrites {
  return {
    ...createSubjectRecordDataWrites(db),
    async lockSubjectRecord(id) {
      const query = db.selectFrom("subject_records").selectAll().where("id", "=", id);
      // SQLite has no row locks; its writer runs one unit of work at a time (unit-of-work.ts).
      const row = await (dialect === "postgres" ? query.forUpdate() : query).executeTakeFirst();
      return row && subjectRecordFromRow(row);
    },
    async insertBusiness(business) {
      await translated(() => db.insertInto("business").values(businessToRow(business)).execute());
    },
    async updateBusiness(business) {
      const { id, subject_record_id: _, created_at: __, ...fields } = businessToRow(business);
      await db.updateTable("business").set(fields).where("id", "=", id).execute();
    },
    async deleteBusiness(id) {
      await db.deleteFrom("sales_info").where("business_id", "=", id).execute();
      await db.deleteFrom("business").where("id", "=", id).execute();
    },
    async insertSalesInfo(info) {
      await translated(() => db.insertInto("sales_info").values(salesInfoToRow(info)).execute());
    },
    async updateSalesInfo(info) {
      const { id, business_id: _, created_at: __, ...fields } = salesInfoToRow(info);
      await db.updateTable("sales_info").set(fields).where("id", "=", id).execute();
    },
  };
}
