/**
 * The catalogue's guarantees below the CLI: an account and its seeded catalogue are one
 * transaction (a seed that fails leaves no account), and two operators adding the same code at
 * once get one type and one conflict, never two rows or a driver error.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createOperator, type Operator, OperatorError } from "../src/admin/operator.js";
import { createSecretBox } from "../src/auth/secret-box.js";
import { systemClock } from "../src/domain/clock.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { executeSql, queryRows } from "./support/sql.js";

/** A trigger that refuses one seeded code, so the seed fails after the account row was written. */
function refuseSeed(kind: "sqlite" | "postgres"): [string, unknown[]][] {
  return kind === "sqlite"
    ? [
        [
          `create trigger refuse_seed before insert on account_document_types
           when new.document_type_code = 'TAX_RETURN' begin select raise(abort, 'refused'); end`,
          [],
        ],
      ]
    : [
        [
          `create function refuse_seed() returns trigger language plpgsql as $$
           begin raise exception 'refused'; end $$`,
          [],
        ],
        [
          `create trigger refuse_seed before insert on account_document_types for each row
           when (new.document_type_code = 'TAX_RETURN') execute function refuse_seed()`,
          [],
        ],
      ];
}

const allowSeed = (kind: "sqlite" | "postgres"): [string, unknown[]][] =>
  kind === "sqlite"
    ? [["drop trigger refuse_seed", []]]
    : [
        ["drop trigger refuse_seed on account_document_types", []],
        ["drop function refuse_seed()", []],
      ];

for (const kind of databaseKinds()) {
  describe(`account document-type catalogue [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    let operator: Operator;

    before(async () => {
      database = await createTestDatabase(kind);
      store = openStore(database.target);
      await store.migrate();
      operator = createOperator({ store, secretBox: createSecretBox(randomBytes(32)), clock: systemClock });
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it("an account whose seed fails is not created at all", async () => {
      const organization = await operator.createOrganization("Atomic");
      await executeSql(database, refuseSeed(kind));
      try {
        await assert.rejects(
          operator.createAccount({ organizationId: organization.id, environment: "sandbox" }),
        );
      } finally {
        await executeSql(database, allowSeed(kind));
      }
      assert.deepEqual(await store.listAccounts(organization.id), []);
      const orphans = await queryRows(
        database,
        "select count(*) as n from account_document_types where account_id not in (select id from accounts)",
      );
      assert.equal(Number(orphans[0]?.n), 0);
      // Once the seed can be written, the account comes with its catalogue.
      const account = await operator.createAccount({
        organizationId: organization.id,
        environment: "sandbox",
      });
      assert.equal((await operator.listDocumentTypes(account.id)).length, 8);
    });

    it("two simultaneous creates of one code: one type, one conflict", async () => {
      const organization = await operator.createOrganization("Race");
      const account = await operator.createAccount({
        organizationId: organization.id,
        environment: "sandbox",
      });
      const create = (name: string) =>
        operator.createDocumentType({
          accountId: account.id,
          code: "W9_FORM",
          name,
          requirement: "A signed IRS form W-9.",
        });
      const results = await Promise.allSettled([create("First"), create("Second"), create("Third")]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
      assert.equal(won.length, 1);
      assert.equal(lost.length, 2);
      for (const reason of lost) {
        assert.ok(reason instanceof OperatorError);
        assert.equal(reason.code, "conflict");
      }
      const rows = await queryRows<{ document_name: string }>(
        database,
        "select document_name from account_document_types where account_id = $1 and document_type_code = 'W9_FORM'",
        [account.id],
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.document_name, won[0]?.status === "fulfilled" ? won[0].value.document_name : "");
    });
  });
}
