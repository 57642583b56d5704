/**
 * The database side of subject-record data (006_subject_record_data.ts), on both dialects: each
 * rule index of data.md §3.4 refuses its duplicate, and the adapter names that index (so the store
 * answers the index's domain error, rule-indexes.ts); foreign keys refuse deleting what is still
 * referenced; an association's purposes go with it. Rows are written with plain SQL, past the
 * store, since most of these tables have no API method yet.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RULE_INDEX_ERRORS } from "../src/domain/rule-indexes.js";
import { openStore } from "../src/store/open.js";
import { sqliteRuleIndexOf } from "../src/store/sqlite/connection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { executeSql, queryRows } from "./support/sql.js";

const T = "2025-03-24T10:00:00.000Z";

/** The rule index a refused statement names, as the adapter reads it; undefined when none. */
function indexOf(kind: string, error: unknown): string | undefined {
  if (kind === "sqlite") return sqliteRuleIndexOf(error);
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === "23505" ? constraint : undefined;
}

function isForeignKeyViolation(kind: string, error: unknown): boolean {
  const { code } = error as { code?: string };
  return kind === "sqlite" ? code === "SQLITE_CONSTRAINT_FOREIGNKEY" : code === "23503";
}

async function refusal(database: TestDatabase, text: string, params: unknown[]): Promise<unknown> {
  try {
    await executeSql(database, [[text, params]]);
  } catch (error) {
    return error;
  }
  assert.fail(`expected a refusal of: ${text}`);
}

const ASSOCIATION =
  "insert into business_bank_account (id, business_id, bank_account_id, created_at, updated_at) values ($1, $2, $3, $4, $5)";
const PURPOSE = `insert into business_bank_account_purpose (business_bank_account_id, business_id, bank_account_id,
  purpose, position) values ($1, $2, $3, $4, $5)`;
const BANK_ACCOUNT = `insert into bank_account (id, subject_record_id, bank_routing_number, bank_account_number,
  created_at, updated_at) values ($1, $2, $3, $4, $5, $6)`;

const SEED: [string, unknown[]][] = [
  ["insert into organizations (id, name, created_at) values ($1, $2, $3)", ["org_c", "Org", T]],
  [
    "insert into accounts (id, organization_id, environment, created_at, updated_at) values ($1, $2, $3, $4, $5)",
    ["sb_c", "org_c", "sandbox", T, T],
  ],
  [
    "insert into subject_records (id, account_id, type, created_at, updated_at) values ($1, $2, $3, $4, $5)",
    ["sr_c", "sb_c", "BUSINESS", T, T],
  ],
  [
    `insert into business (id, subject_record_id, industry_category_codes, addresses, websites,
       additional_fields, created_at, updated_at) values ($1, $2, '[]', '[]', '[]', '[]', $3, $4)`,
    ["b_c", "sr_c", T, T],
  ],
  [
    "insert into sales_info (id, business_id, card_brands, sales_amount, created_at, updated_at) values ($1, $2, '[]', '[]', $3, $4)",
    ["bsi_c", "b_c", T, T],
  ],
  [
    "insert into person (id, subject_record_id, addresses, created_at, updated_at) values ($1, $2, '[]', $3, $4)",
    ["p_c", "sr_c", T, T],
  ],
  [
    `insert into person_issued_identifier (id, person_id, type, issued_number, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6)`,
    ["pii_c", "p_c", "PASSPORT", "X1", T, T],
  ],
  [BANK_ACCOUNT, ["ba_c", "sr_c", "011000015", "1234", T, T]],
  [BANK_ACCOUNT, ["ba_e", "sr_c", "011000015", "5678", T, T]],
  [
    `insert into business_owner (id, business_id, person_id, ownership_type, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6)`,
    ["bo_c", "b_c", "p_c", "OWNERSHIP_PRONG", T, T],
  ],
  // ba_c linked twice: PRIMARY and FEES, then nothing yet; ba_e once, without purposes so far.
  [ASSOCIATION, ["bba_c", "b_c", "ba_c", T, T]],
  [PURPOSE, ["bba_c", "b_c", "ba_c", "PRIMARY", 0]],
  [PURPOSE, ["bba_c", "b_c", "ba_c", "FEES", 1]],
  [ASSOCIATION, ["bba_d", "b_c", "ba_c", T, T]],
  [ASSOCIATION, ["bba_e", "b_c", "ba_e", T, T]],
];

for (const kind of databaseKinds()) {
  describe(`subject-record data constraints [${kind}]`, () => {
    let database: TestDatabase | undefined;
    const db = () => {
      if (!database) throw new Error("no database");
      return database;
    };
    before(async () => {
      database = await createTestDatabase(kind);
      const store = openStore(database.target);
      await store.migrate();
      await store.close();
      await executeSql(database, SEED);
    });
    after(async () => {
      await database?.drop();
    });

    it("each rule index refuses its duplicate and is named as the index of its domain error", async () => {
      const cases: [string, string, unknown[]][] = [
        [
          "business_one_per_subject_record",
          `insert into business (id, subject_record_id, industry_category_codes, addresses, websites,
             additional_fields, created_at, updated_at) values ($1, $2, '[]', '[]', '[]', '[]', $3, $4)`,
          ["b_d", "sr_c", T, T],
        ],
        [
          "sales_info_one_per_business",
          "insert into sales_info (id, business_id, card_brands, sales_amount, created_at, updated_at) values ($1, $2, '[]', '[]', $3, $4)",
          ["bsi_d", "b_c", T, T],
        ],
        [
          "business_owner_once_per_person",
          `insert into business_owner (id, business_id, person_id, ownership_type, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6)`,
          ["bo_d", "b_c", "p_c", "CONTROL_PRONG", T, T],
        ],
        // Another bank account's PRIMARY: only the one-PRIMARY rule is broken.
        ["business_bank_account_one_primary", PURPOSE, ["bba_e", "b_c", "ba_e", "PRIMARY", 0]],
        // The bank account's second association with a purpose its first one has.
        ["business_bank_account_purpose_once", PURPOSE, ["bba_d", "b_c", "ba_c", "FEES", 0]],
        [
          "person_issued_identifier_one_per_type",
          `insert into person_issued_identifier (id, person_id, type, issued_number, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6)`,
          ["pii_d", "p_c", "PASSPORT", "X2", T, T],
        ],
      ];
      const subCodes: string[] = [];
      for (const [index, text, params] of cases) {
        const error = await refusal(db(), text, params);
        assert.equal(indexOf(kind, error), index, `${index}: ${String(error)}`);
        subCodes.push(String(RULE_INDEX_ERRORS[index]?.().details.sub_code));
      }
      assert.deepEqual(subCodes, [
        "MAX_BUSINESS_LIMIT",
        "SALES_INFO_ALREADY_EXISTS",
        "DUPLICATE_OWNER_ASSOCIATION",
        "SINGLE_PRIMARY_BANK_ACCOUNT",
        "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
        "DUPLICATED_ISSUED_IDENTIFIER",
      ]);
    });

    it("a purpose row '' is a purpose: a second association without purposes is the duplicate", async () => {
      await executeSql(db(), [
        [ASSOCIATION, ["bba_f", "b_c", "ba_e", T, T]],
        [PURPOSE, ["bba_f", "b_c", "ba_e", "", 0]],
        [ASSOCIATION, ["bba_g", "b_c", "ba_e", T, T]],
      ]);
      const error = await refusal(db(), PURPOSE, ["bba_g", "b_c", "ba_e", "", 0]);
      assert.equal(indexOf(kind, error), "business_bank_account_purpose_once");
    });

    it("foreign keys refuse deleting what is still referenced", async () => {
      const cases: [string, string][] = [
        ["delete from subject_records where id = $1", "sr_c"],
        ["delete from business where id = $1", "b_c"],
        ["delete from person where id = $1", "p_c"],
        ["delete from bank_account where id = $1", "ba_c"],
      ];
      for (const [text, id] of cases) {
        const error = await refusal(db(), text, [id]);
        assert.ok(isForeignKeyViolation(kind, error), `${text}: ${String(error)}`);
      }
    });

    it("an association's purposes go with it", async () => {
      await executeSql(db(), [["delete from business_bank_account where id = $1", ["bba_c"]]]);
      const rows = await queryRows(
        db(),
        "select purpose from business_bank_account_purpose where business_bank_account_id = $1",
        ["bba_c"],
      );
      assert.deepEqual(rows, []);
    });
  });
}
