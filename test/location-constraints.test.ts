/**
 * The database side of locations (009_locations.ts), on both dialects: each rule index of data.md
 * §3.4 for locations refuses its duplicate and the adapter names it (so the store answers its
 * domain error); foreign keys refuse deleting a linked location or bank account; an association's
 * purposes go with it. Rows are written with plain SQL, past the store.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RULE_INDEX_ERRORS } from "../src/domain/rule-indexes.js";
import { openStore } from "../src/store/open.js";
import { sqliteRuleIndexOf } from "../src/store/sqlite/connection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { executeSql, queryRows } from "./support/sql.js";

const T = "2025-03-24T10:00:00.000Z";

function indexOf(kind: string, error: unknown): string | undefined {
  if (kind === "sqlite") return sqliteRuleIndexOf(error);
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === "23505" ? constraint : undefined;
}

async function refusal(database: TestDatabase, text: string, params: unknown[]): Promise<unknown> {
  try {
    await executeSql(database, [[text, params]]);
  } catch (error) {
    return error;
  }
  assert.fail(`expected a refusal of: ${text}`);
}

const BUSINESS_LOCATION =
  "insert into business_location (id, business_id, location_id, created_at, updated_at) values ($1, $2, $3, $4, $5)";
const LBA =
  "insert into location_bank_account (id, location_id, bank_account_id, created_at, updated_at) values ($1, $2, $3, $4, $5)";
const PURPOSE = `insert into location_bank_account_purpose (location_bank_account_id, location_id, bank_account_id,
  purpose, position) values ($1, $2, $3, $4, $5)`;

const SEED: [string, unknown[]][] = [
  ["insert into organizations (id, name, created_at) values ($1, $2, $3)", ["org_l", "Org", T]],
  [
    "insert into accounts (id, organization_id, environment, created_at, updated_at) values ($1, $2, $3, $4, $5)",
    ["sb_l", "org_l", "sandbox", T, T],
  ],
  [
    "insert into subject_records (id, account_id, type, created_at, updated_at) values ($1, $2, $3, $4, $5)",
    ["sr_l", "sb_l", "BUSINESS", T, T],
  ],
  [
    `insert into business (id, subject_record_id, industry_category_codes, addresses, websites,
       additional_fields, created_at, updated_at) values ($1, $2, '[]', '[]', '[]', '[]', $3, $4)`,
    ["b_l", "sr_l", T, T],
  ],
  [
    "insert into location (id, subject_record_id, created_at, updated_at) values ($1, $2, $3, $4)",
    ["l_l", "sr_l", T, T],
  ],
  [
    `insert into bank_account (id, subject_record_id, bank_routing_number, bank_account_number, created_at,
       updated_at) values ($1, $2, $3, $4, $5, $6)`,
    ["ba_l", "sr_l", "011000015", "1234", T, T],
  ],
  [BUSINESS_LOCATION, ["bl_l", "b_l", "l_l", T, T]],
  [LBA, ["lba_l", "l_l", "ba_l", T, T]],
  [PURPOSE, ["lba_l", "l_l", "ba_l", "FEES", 0]],
  [LBA, ["lba_m", "l_l", "ba_l", T, T]],
];

for (const kind of databaseKinds()) {
  describe(`location constraints [${kind}]`, () => {
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

    it("each location rule index refuses its duplicate and is named as the index of its domain error", async () => {
      const cases: [string, string, unknown[]][] = [
        ["business_location_once", BUSINESS_LOCATION, ["bl_m", "b_l", "l_l", T, T]],
        // The bank account's second association at the location with a purpose its first one has.
        ["location_bank_account_purpose_once", PURPOSE, ["lba_m", "l_l", "ba_l", "FEES", 0]],
      ];
      const subCodes: string[] = [];
      for (const [index, text, params] of cases) {
        const error = await refusal(db(), text, params);
        assert.equal(indexOf(kind, error), index, `${index}: ${String(error)}`);
        subCodes.push(String(RULE_INDEX_ERRORS[index]?.().details.sub_code));
      }
      assert.deepEqual(subCodes, ["DUPLICATE_LOCATION_ASSOCIATION", "DUPLICATE_BANK_ACCOUNT_ASSOCIATION"]);
    });

    it("foreign keys refuse deleting a linked location or bank account; purposes go with their association", async () => {
      for (const [text, id] of [
        ["delete from location where id = $1", "l_l"],
        ["delete from bank_account where id = $1", "ba_l"],
        ["delete from business where id = $1", "b_l"],
      ] as const) {
        const error = (await refusal(db(), text, [id])) as { code?: string };
        assert.ok(
          kind === "sqlite" ? error.code === "SQLITE_CONSTRAINT_FOREIGNKEY" : error.code === "23503",
          `${text}: ${String(error)}`,
        );
      }
      await executeSql(db(), [["delete from location_bank_account where id = $1", ["lba_l"]]]);
      const rows = await queryRows(
        db(),
        "select purpose from location_bank_account_purpose where location_bank_account_id = $1",
        ["lba_l"],
      );
      assert.deepEqual(rows, []);
    });
  });
}
