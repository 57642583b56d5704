/**
 * What the completion requirements look at in one subject record (domain-store.ts
 * `readRecordData`), read in ONE statement: workflow.canComplete calls it outside any transaction,
 * and one statement reads one snapshot on both dialects (PostgreSQL's statement snapshot, SQLite's
 * implicit read transaction), so no write can land between its parts. Each part is a JSON
 * subquery, built with Kysely's helpers of the store's dialect.
 */
import type { ExpressionBuilder, Kysely, RawBuilder, SelectQueryBuilder } from "kysely";
import * as postgresJson from "kysely/helpers/postgres";
import * as sqliteJson from "kysely/helpers/sqlite";
import type {
  AddressFacts,
  BusinessBankAccountFacts,
  OwnerFacts,
  RecordData,
} from "../../domain/completion-requirements.js";
import type { Dialect } from "../store.js";
import type { Database } from "./schema.js";

/** A JSON value as the driver answers it: PostgreSQL's `json` parsed already, SQLite's as text. */
function parsed<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** A JSON text column (addresses, sales amounts), stored as text on both dialects. */
const fromText = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** Oldest first, ties by ID, as the lists are (the JSON aggregate keeps no order of its own). */
function byCreation<T extends { created_at: string; id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) =>
    a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1,
  );
}

interface BusinessPart {
  id: string;
  legal_name: string | null;
  registration_type: string | null;
  tax_id: string | null;
  phone_number: string | null;
  addresses: string;
}

interface OwnerPart {
  id: string;
  created_at: string;
  ownership_type: string;
  person_id: string;
  first_name: string | null;
  last_name: string | null;
  date_of_birth: string | null;
  tax_id: string | null;
  addresses: string;
}

interface BankAccountPart {
  id: string;
  created_at: string;
  bank_account_id: string;
  bank_account_type: string | null;
  bank_account_ownership_type: string | null;
}

interface PurposePart {
  business_bank_account_id: string;
  purpose: string;
  position: number;
}

interface SalesInfoPart {
  id: string;
  sales_method: string | null;
  sales_amount: string;
}

type Builder = ExpressionBuilder<Database, never>;
// The helpers take any select query; their typed results are replaced by the parts above.
// biome-ignore lint/suspicious/noExplicitAny: the query's row type is erased on purpose here.
type AnySelect = SelectQueryBuilder<any, any, any>;

export async function readRecordData(
  db: Kysely<Database>,
  dialect: Dialect,
  subjectRecordId: string,
): Promise<RecordData> {
  const json = dialect === "postgres" ? postgresJson : sqliteJson;
  const array = (query: AnySelect) => json.jsonArrayFrom(query) as RawBuilder<unknown>;
  const object = (query: AnySelect) => json.jsonObjectFrom(query) as RawBuilder<unknown>;
  const ofRecord = "business.subject_record_id" as const;

  const row = await db
    .selectNoFrom((eb: Builder) => [
      object(
        eb
          .selectFrom("business")
          .select(["id", "legal_name", "registration_type", "tax_id", "phone_number", "addresses"])
          .where("subject_record_id", "=", subjectRecordId),
      ).as("business"),
      array(
        eb
          .selectFrom("business_owner")
          .innerJoin("business", "business.id", "business_owner.business_id")
          .innerJoin("person", "person.id", "business_owner.person_id")
          .select([
            "business_owner.id as id",
            "business_owner.created_at as created_at",
            "business_owner.ownership_type as ownership_type",
            "person.id as person_id",
            "person.first_name as first_name",
            "person.last_name as last_name",
            "person.date_of_birth as date_of_birth",
            "person.tax_id as tax_id",
            "person.addresses as addresses",
          ])
          .where(ofRecord, "=", subjectRecordId),
      ).as("owners"),
      array(
        eb
          .selectFrom("business_bank_account")
          .innerJoin("business", "business.id", "business_bank_account.business_id")
          .innerJoin("bank_account", "bank_account.id", "business_bank_account.bank_account_id")
          .select([
            "business_bank_account.id as id",
            "business_bank_account.created_at as created_at",
            "bank_account.id as bank_account_id",
            "bank_account.bank_account_type as bank_account_type",
            "bank_account.bank_account_ownership_type as bank_account_ownership_type",
          ])
          .where(ofRecord, "=", subjectRecordId),
      ).as("bank_accounts"),
      array(
        eb
          .selectFrom("business_bank_account_purpose")
          .innerJoin("business", "business.id", "business_bank_account_purpose.business_id")
          .select([
            "business_bank_account_purpose.business_bank_account_id as business_bank_account_id",
            "business_bank_account_purpose.purpose as purpose",
            "business_bank_account_purpose.position as position",
          ])
          .where(ofRecord, "=", subjectRecordId),
      ).as("purposes"),
      object(
        eb
          .selectFrom("sales_info")
          .innerJoin("business", "business.id", "sales_info.business_id")
          .select([
            "sales_info.id as id",
            "sales_info.sales_method as sales_method",
            "sales_info.sales_amount as sales_amount",
          ])
          .where(ofRecord, "=", subjectRecordId),
      ).as("sales_info"),
      object(
        eb
          .selectFrom("business_location")
          .innerJoin("business", "business.id", "business_location.business_id")
          .select("business_location.id as id")
          .where(ofRecord, "=", subjectRecordId)
          .limit(1),
      ).as("business_location"),
    ])
    .executeTakeFirstOrThrow();

  const business = parsed<BusinessPart | null>(row.business);
  const owners = byCreation(parsed<OwnerPart[]>(row.owners));
  const bankAccounts = byCreation(parsed<BankAccountPart[]>(row.bank_accounts));
  const purposes = parsed<PurposePart[]>(row.purposes);
  const salesInfo = parsed<SalesInfoPart | null>(row.sales_info);
  const businessLocation = parsed<{ id: string } | null>(row.business_location);

  return {
    business: business && {
      id: business.id,
      legal_name: business.legal_name,
      registration_type: business.registration_type,
      tax_id: business.tax_id,
      phone_number: business.phone_number,
      addresses: fromText<AddressFacts[]>(business.addresses) ?? [],
    },
    owners: owners.map(
      (owner): OwnerFacts => ({
        ownership_type: owner.ownership_type,
        person: {
          id: owner.person_id,
          first_name: owner.first_name,
          last_name: owner.last_name,
          date_of_birth: owner.date_of_birth,
          tax_id: owner.tax_id,
          addresses: fromText<AddressFacts[]>(owner.addresses) ?? [],
        },
      }),
    ),
    business_bank_accounts: bankAccounts.map(
      (association): BusinessBankAccountFacts => ({
        // In the order given; the '' row stands for no purpose (data.md §3.4).
        purposes: purposes
          .filter((p) => p.business_bank_account_id === association.id)
          .sort((a, b) => a.position - b.position)
          .map((p) => p.purpose)
          .filter((purpose) => purpose !== ""),
        bank_account: {
          id: association.bank_account_id,
          bank_account_type: association.bank_account_type,
          bank_account_ownership_type: association.bank_account_ownership_type,
        },
      }),
    ),
    sales_info: salesInfo && {
      id: salesInfo.id,
      sales_method: fromText<object>(salesInfo.sales_method),
      sales_amount: fromText<{ type: string }[]>(salesInfo.sales_amount) ?? [],
    },
    has_business_location: businessLocation !== null,
  };
}
