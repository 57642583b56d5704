/**
 * The store calls of subject-record data (domain/data-store.ts), written once with Kysely for
 * both dialects. An entity is visible through its subject record's account, in one query, as the
 * core lookups are (hot-queries.ts `visibleByAccount`); sales info through its business.
 */
import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { IssuedIdentifier } from "../../domain/data-records.js";
import type { DataReads, DataWrites } from "../../domain/data-store.js";
import type { Page, PageRequest, WorkflowState } from "../../domain/records.js";
import { isListedAccount, type VisibilityScope } from "../../domain/visibility.js";
import type { Dialect } from "../store.js";
import {
  bankAccountFromRow,
  businessBankAccountFromRow,
  businessFromRow,
  businessToRow,
  personFromRow,
  personToRow,
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

/** An issued identifier with its person's subject record and that record's account. */
function issuedIdentifierQuery(db: Kysely<Database>) {
  return db
    .selectFrom("person_issued_identifier")
    .innerJoin("person", "person.id", "person_issued_identifier.person_id")
    .innerJoin("subject_records", "subject_records.id", "person.subject_record_id")
    .selectAll("person_issued_identifier")
    .select(["person.subject_record_id as subject_record_id", "subject_records.account_id as account_id"]);
}

/**
 * One page of `table`'s rows, oldest first, ties by ID (as repository.ts `keyset`, with the
 * columns named by their table, for queries that join another).
 */
async function pageOf<DB, TB extends keyof DB, O, T>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: string,
  page: PageRequest,
  toItem: (row: O) => T,
): Promise<Page<T>> {
  const createdAt = sql.ref(`${table}.created_at`);
  const id = sql.ref(`${table}.id`);
  let ordered = query
    .orderBy(sql`${createdAt}`)
    .orderBy(sql`${id}`)
    .limit(page.limit + 1);
  const after = page.after;
  if (after)
    ordered = ordered.where(sql<boolean>`(${createdAt}, ${id}) > (${after.created_at}, ${after.id})`);
  const rows = await ordered.execute();
  return { items: rows.slice(0, page.limit).map(toItem), hasMore: rows.length > page.limit };
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

  const toIssuedIdentifier = ({ account_id: _, ...row }: IssuedIdentifierRow): IssuedIdentifier => row;

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

    // person.* and person.issuedIdentifier.* (data.md §6).
    async getVisiblePerson(id, scope) {
      const row = await db
        .selectFrom("person")
        .innerJoin("subject_records", "subject_records.id", "person.subject_record_id")
        .selectAll("person")
        .select("subject_records.account_id as account_id")
        .where("person.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, ...person } = row;
      return personFromRow(person);
    },
    async countPersons(subjectRecordId) {
      const row = await db
        .selectFrom("person")
        .select((eb) => eb.fn.countAll<number | string>().as("count"))
        .where("subject_record_id", "=", subjectRecordId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async listPersons(subjectRecordId, page) {
      const query = db.selectFrom("person").selectAll().where("subject_record_id", "=", subjectRecordId);
      return pageOf(query, "person", page, personFromRow);
    },
    async ownershipsOfPerson(personId) {
      return db
        .selectFrom("business_owner")
        .selectAll()
        .where("person_id", "=", personId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    },
    async getVisibleIssuedIdentifier(id, scope) {
      const row = await issuedIdentifierQuery(db)
        .where("person_issued_identifier.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      return row && isListedAccount(scope, row.account_id) ? toIssuedIdentifier(row) : undefined;
    },
    async issuedIdentifierOfType(personId, type) {
      const row = await issuedIdentifierQuery(db)
        .where("person_issued_identifier.person_id", "=", personId)
        .where("person_issued_identifier.type", "=", type)
        .executeTakeFirst();
      return row && toIssuedIdentifier(row);
    },
    async listIssuedIdentifiers(personId, page) {
      const query = issuedIdentifierQuery(db).where("person_issued_identifier.person_id", "=", personId);
      return pageOf(query, "person_issued_identifier", page, toIssuedIdentifier);
    },
  };
}

type BusinessRow = Awaited<ReturnType<ReturnType<typeof businessQuery>["executeTakeFirstOrThrow"]>>;
type IssuedIdentifierRow = Awaited<
  ReturnType<ReturnType<typeof issuedIdentifierQuery>["executeTakeFirstOrThrow"]>
>;
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

    // person.* and person.issuedIdentifier.* (data.md §6).
    async insertPerson(person) {
      await db.insertInto("person").values(personToRow(person)).execute();
    },
    async updatePerson(person) {
      const { id, subject_record_id: _, created_at: __, ...fields } = personToRow(person);
      await db.updateTable("person").set(fields).where("id", "=", id).execute();
    },
    async deletePerson(id) {
      await db.deleteFrom("person_issued_identifier").where("person_id", "=", id).execute();
      await db.deleteFrom("person").where("id", "=", id).execute();
    },
    async insertIssuedIdentifier({ subject_record_id: _, ...identifier }) {
      await translated(() => db.insertInto("person_issued_identifier").values(identifier).execute());
    },
    async updateIssuedIdentifier({ id, type, issued_number, updated_at }) {
      await translated(() =>
        db
          .updateTable("person_issued_identifier")
          .set({ type, issued_number, updated_at })
          .where("id", "=", id)
          .execute(),
      );
    },
  };
}
