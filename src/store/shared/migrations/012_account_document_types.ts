import { type Kysely, sql } from "kysely";
import { newId } from "../../../domain/ids.js";
import type { MigrationContext } from "./index.js";

/**
 * The account document-type catalogue (data.md §11, §4.7): one row per (account, code), the code
 * unique per account, listed oldest first by (created_at, id). Every account that exists now gets
 * the seeded catalogue, created at the time of the migration.
 *
 * The seed is written out here rather than imported from domain/document-types.ts: a migration
 * that has landed never changes, even if the catalogue new accounts get does later.
 */
const SEED: readonly [code: string, name: string, requirement: string][] = [
  ["BANK_STATEMENTS", "Bank Statements", "Bank statements for the three most recent months."],
  ["VOIDED_CHECK", "Voided Check", "A voided check from the account that receives the funds."],
  ["BUSINESS_LICENSE", "Business License", "A current license to operate the business."],
  [
    "ARTICLES_OF_INCORPORATION",
    "Articles Of Incorporation",
    "The articles of incorporation or organization filed for the business.",
  ],
  ["GOVERNMENT_ID", "Government Id", "A valid government-issued photo ID of the person."],
  [
    "PROOF_OF_ADDRESS",
    "Proof Of Address",
    "A utility bill or lease from the last 90 days showing the address.",
  ],
  ["TAX_RETURN", "Tax Return", "The most recent federal tax return of the business."],
  [
    "PROCESSING_STATEMENTS",
    "Processing Statements",
    "Card processing statements for the three most recent months.",
  ],
];

/** Accounts seeded per INSERT: 8 rows × 10 columns each stays far below either driver's limits. */
const ACCOUNTS_PER_INSERT = 50;

export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable("account_document_types")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("account_id", key, (c) => c.notNull().references("accounts.id"))
    .addColumn("document_type_code", "text", (c) => c.notNull())
    .addColumn("document_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("default_requirement", "text", (c) => c.notNull())
    .addColumn("alternate_requirements", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("account_document_types_unique_code")
    .unique()
    .on("account_document_types")
    .columns(["account_id", "document_type_code"])
    .execute();
  await db.schema
    .createIndex("account_document_types_by_account")
    .on("account_document_types")
    .columns(["account_id", "created_at", "id"])
    .execute();

  const accounts = await sql<{ id: string }>`select id from accounts order by id`.execute(db);
  const start = Date.now();
  const ids = accounts.rows.map((row) => row.id);
  for (let i = 0; i < ids.length; i += ACCOUNTS_PER_INSERT) {
    const rows = ids.slice(i, i + ACCOUNTS_PER_INSERT).flatMap((accountId) =>
      SEED.map(([code, name, requirement], index) => {
        // One millisecond apart, so the list shows them in this order (as for new accounts).
        const at = new Date(start + index).toISOString();
        return {
          id: newId("accountDocumentType"),
          account_id: accountId,
          document_type_code: code,
          document_name: name,
          status: "ACTIVE",
          default_requirement: requirement,
          alternate_requirements: "[]",
          created_at: at,
          updated_at: at,
        };
      }),
    );
    await (db as Kysely<{ account_document_types: (typeof rows)[number] }>)
      .insertInto("account_document_types")
      .values(rows)
      .execute();
  }
}
