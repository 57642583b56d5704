/**
 * The store calls of subject-record data (domain/data-store.ts), written once with Kysely for
 * both dialects. An entity is visible through its subject record's account, in one query, as the
 * core lookups are (hot-queries.ts `visibleByAccount`); sales info through its business.
 */
import { type Kysely, sql } from "kysely";
import type { BusinessBankAccount, IssuedIdentifier } from "../../domain/data-records.js";
import type { DataReads, DataWrites } from "../../domain/data-store.js";
import type { WorkflowState } from "../../domain/records.js";
import { isListedAccount, type VisibilityScope } from "../../domain/visibility.js";
import type { Dialect } from "../store.js";
import { anyOf, countOf } from "./counts.js";
import { createDocumentReads, createDocumentWrites } from "./document-queries.js";
import { createLocationReads, createLocationWrites } from "./location-queries.js";
import { createMetadataReads, createMetadataWrites, dropMetadataLinks } from "./metadata-queries.js";
import { keyset, toPage } from "./pages.js";
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
import type { BusinessBankAccountTable, Database } from "./schema.js";
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

/** An owner association with its business's subject record and that record's account. */
function businessOwnerQuery(db: Kysely<Database>) {
  return db
    .selectFrom("business_owner")
    .innerJoin("business", "business.id", "business_owner.business_id")
    .innerJoin("subject_records", "subject_records.id", "business.subject_record_id")
    .selectAll("business_owner")
    .select(["business.subject_record_id as subject_record_id", "subject_records.account_id as account_id"]);
}

/**
 * Only rows whose subject record's account is in the scope's organization and environment (a
 * query joined to `subject_records`); a narrowed credential's account list is checked on the row.
 */
export function inScope(scope: VisibilityScope) {
  return sql<boolean>`exists (select 1 from accounts where accounts.id = subject_records.account_id
    and accounts.organization_id = ${scope.organization_id} and accounts.environment = ${scope.environment})`;
}

export function createDataReads(db: Kysely<Database>): DataReads {
  const bankAccounts = createBankAccountReads(db);
  const toBusiness = ({ sales_info_id, account_id: _, ...row }: BusinessRow) =>
    businessFromRow(row, sales_info_id);
  const toSalesInfo = ({ subject_record_id, account_id: _, ...row }: SalesInfoRow) =>
    salesInfoFromRow(row, subject_record_id);

  const toIssuedIdentifier = ({ account_id: _, ...row }: IssuedIdentifierRow): IssuedIdentifier => row;

  return {
    ...bankAccounts,
    ...createSubjectRecordDataReads(db),
    ...createLocationReads(db),
    ...createMetadataReads(db),
    ...createDocumentReads(db),
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
      return {
        owners: await anyOf(db.selectFrom("business_owner").where("business_id", "=", businessId)),
        bankAccounts: await anyOf(
          db.selectFrom("business_bank_account").where("business_id", "=", businessId),
        ),
        locations: await anyOf(db.selectFrom("business_location").where("business_id", "=", businessId)),
      };
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
      return countOf(db.selectFrom("person").where("subject_record_id", "=", subjectRecordId));
    },
    async listPersons(subjectRecordId, page) {
      const query = db.selectFrom("person").selectAll().where("subject_record_id", "=", subjectRecordId);
      return toPage(page, (await keyset(query, page, "person").execute()).map(personFromRow));
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
      return toPage(
        page,
        (await keyset(query, page, "person_issued_identifier").execute()).map(toIssuedIdentifier),
      );
    },

    // Business owners (data.md §5.2).
    async getVisibleBusinessOwner(id, scope) {
      const row = await businessOwnerQuery(db)
        .where("business_owner.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, ...owner } = row;
      return owner;
    },
    async listBusinessOwnersPage(businessId, page) {
      const query = db.selectFrom("business_owner").selectAll().where("business_id", "=", businessId);
      return toPage(
        page,
        (await keyset(query, page, "business_owner").execute()).map((row) => row),
      );
    },
  };
}

/** The association's purpose rows: one per purpose in the order given, or one '' row for none. */
function purposeRows(association: BusinessBankAccount) {
  const purposes = association.bank_account_purposes.length > 0 ? association.bank_account_purposes : [""];
  return purposes.map((purpose, position) => ({
    business_bank_account_id: association.id,
    business_id: association.business_id,
    bank_account_id: association.bank_account_id,
    purpose,
    position,
  }));
}

/** The associations with their purposes, in the order of `rows`. */
async function withPurposes(
  db: Kysely<Database>,
  rows: BusinessBankAccountTable[],
): Promise<BusinessBankAccount[]> {
  if (rows.length === 0) return [];
  const purposes = await db
    .selectFrom("business_bank_account_purpose")
    .select(["business_bank_account_id", "purpose", "position"])
    .where(
      "business_bank_account_id",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  return rows.map((row) =>
    businessBankAccountFromRow(
      row,
      purposes.filter((p) => p.business_bank_account_id === row.id),
    ),
  );
}

/** Bank accounts and their business associations (data.md §5.3, §7). */
function createBankAccountReads(
  db: Kysely<Database>,
): Pick<
  DataReads,
  | "getVisibleBankAccount"
  | "listBankAccountsPage"
  | "countBankAccounts"
  | "bankAccountLinks"
  | "getVisibleBusinessBankAccount"
  | "listBusinessBankAccountsPage"
  | "countBusinessBankAccounts"
> {
  return {
    async getVisibleBankAccount(id, scope) {
      const row = await db
        .selectFrom("bank_account")
        .innerJoin("subject_records", "subject_records.id", "bank_account.subject_record_id")
        .selectAll("bank_account")
        .select("subject_records.account_id as account_id")
        .where("bank_account.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, ...account } = row;
      return bankAccountFromRow(account);
    },
    async listBankAccountsPage(subjectRecordId, page) {
      const query = db
        .selectFrom("bank_account")
        .selectAll()
        .where("subject_record_id", "=", subjectRecordId);
      return toPage(page, (await keyset(query, page).execute()).map(bankAccountFromRow));
    },
    async countBankAccounts(subjectRecordId) {
      return countOf(db.selectFrom("bank_account").where("subject_record_id", "=", subjectRecordId));
    },
    async bankAccountLinks(bankAccountId) {
      return {
        businesses: await anyOf(
          db.selectFrom("business_bank_account").where("bank_account_id", "=", bankAccountId),
        ),
        locations: await anyOf(
          db.selectFrom("location_bank_account").where("bank_account_id", "=", bankAccountId),
        ),
      };
    },
    async getVisibleBusinessBankAccount(id, scope) {
      const row = await db
        .selectFrom("business_bank_account")
        .innerJoin("business", "business.id", "business_bank_account.business_id")
        .innerJoin("subject_records", "subject_records.id", "business.subject_record_id")
        .selectAll("business_bank_account")
        .select([
          "business.subject_record_id as subject_record_id",
          "subject_records.account_id as account_id",
        ])
        .where("business_bank_account.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, subject_record_id, ...association } = row;
      const [found] = await withPurposes(db, [association]);
      return found && { ...found, subject_record_id };
    },
    async listBusinessBankAccountsPage(businessId, page) {
      const query = db.selectFrom("business_bank_account").selectAll().where("business_id", "=", businessId);
      const rows = await keyset(query, page).execute();
      return toPage(page, await withPurposes(db, rows));
    },
    async countBusinessBankAccounts(businessId) {
      return countOf(db.selectFrom("business_bank_account").where("business_id", "=", businessId));
    },
  };
}

/** Bank accounts and their business associations (data.md §5.3, §7). */
function createBankAccountWrites(
  db: Kysely<Database>,
  translated: Translate,
): Pick<
  DataWrites,
  | "insertBankAccount"
  | "updateBankAccount"
  | "deleteBankAccount"
  | "insertBusinessBankAccount"
  | "updateBusinessBankAccount"
  | "deleteBusinessBankAccount"
> {
  return {
    async insertBankAccount(account) {
      await db.insertInto("bank_account").values(account).execute();
    },
    async updateBankAccount(account) {
      const { id, subject_record_id: _, created_at: __, ...fields } = account;
      await db.updateTable("bank_account").set(fields).where("id", "=", id).execute();
    },
    async deleteBankAccount(id) {
      await dropMetadataLinks(db, id);
      await db.deleteFrom("bank_account").where("id", "=", id).execute();
    },
    async insertBusinessBankAccount(association) {
      const { bank_account_purposes: _, ...row } = association;
      await db.insertInto("business_bank_account").values(row).execute();
      await translated(() =>
        db.insertInto("business_bank_account_purpose").values(purposeRows(association)).execute(),
      );
    },
    async updateBusinessBankAccount(association) {
      await db
        .deleteFrom("business_bank_account_purpose")
        .where("business_bank_account_id", "=", association.id)
        .execute();
      await translated(() =>
        db.insertInto("business_bank_account_purpose").values(purposeRows(association)).execute(),
      );
      await db
        .updateTable("business_bank_account")
        .set({ updated_at: association.updated_at })
        .where("id", "=", association.id)
        .execute();
    },
    async deleteBusinessBankAccount(id) {
      // The purpose rows go with it (on delete cascade).
      await db.deleteFrom("business_bank_account").where("id", "=", id).execute();
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
    ...createBankAccountWrites(db, translated),
    ...createSubjectRecordDataWrites(db),
    ...createLocationWrites(db, translated),
    ...createMetadataWrites(db, translated),
    ...createDocumentWrites(db, dialect),
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
      await dropMetadataLinks(db, id);
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
      await dropMetadataLinks(db, id);
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

    // Business owners (data.md §5.2).
    async insertBusinessOwner(owner) {
      const { id, business_id, person_id, created_at, updated_at } = owner;
      const { ownership_type, ownership_percentage, ownership_year_month, business_person_position } = owner;
      const row = { id, business_id, person_id, ownership_type, ownership_percentage };
      const rest = { ownership_year_month, business_person_position, created_at, updated_at };
      await translated(() =>
        db
          .insertInto("business_owner")
          .values({ ...row, ...rest })
          .execute(),
      );
    },
    async updateBusinessOwner(owner) {
      const { id, ownership_type, ownership_percentage, ownership_year_month, business_person_position } =
        owner;
      await db
        .updateTable("business_owner")
        .set({
          ownership_type,
          ownership_percentage,
          ownership_year_month,
          business_person_position,
          updated_at: owner.updated_at,
        })
        .where("id", "=", id)
        .execute();
    },
    async deleteBusinessOwner(id) {
      await db.deleteFrom("business_owner").where("id", "=", id).execute();
    },
  };
}
