/**
 * Migration 012 on a database whose accounts predate the document-type catalogue: each gets the
 * catalogue a new account gets (data.md §11), in the same order, with IDs of its own; accounts
 * created afterwards are seeded by the operator, in the account's transaction.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createOperator } from "../src/admin/operator.js";
import { createSecretBox } from "../src/auth/secret-box.js";
import { systemClock } from "../src/domain/clock.js";
import { type AccountDocumentType, SEEDED_DOCUMENT_TYPES } from "../src/domain/document-types.js";
import { newId } from "../src/domain/ids.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { migratedTo } from "./support/migrations.js";
import { at, account as newAccount } from "./support/store-fixtures.js";

/** The last migration before 012, whichever of 009–011 have landed. */
const BEFORE_012 = 11;

/** What two catalogues must share: everything but the IDs, the account and the times. */
function content(types: AccountDocumentType[]) {
  return types.map((t) => [
    t.document_type_code,
    t.document_name,
    t.status,
    t.default_requirement,
    t.alternate_requirements,
  ]);
}

for (const kind of databaseKinds()) {
  describe(`migration 012 on existing accounts [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    let applied: string[] = [];
    const organizationId = newId("organization");
    const olds = [
      newAccount(organizationId),
      newAccount(organizationId, { environment: "live", id: newId("live") }),
    ];

    before(async () => {
      database = await createTestDatabase(kind);
      const db = await migratedTo(database, BEFORE_012);
      await sql`insert into organizations (id, name, created_at) values (${organizationId}, 'Old', ${at(0)})`.execute(
        db,
      );
      for (const old of olds) {
        await sql`insert into accounts (id, organization_id, environment, name, allow_multiple_applications_per_email, created_at, updated_at)
          values (${old.id}, ${organizationId}, ${old.environment}, ${old.name}, 1, ${old.created_at}, ${old.updated_at})`.execute(
          db,
        );
      }
      await db.destroy();
      store = openStore(database.target);
      applied = await store.migrate();
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    const catalogueOf = async (accountId: string) =>
      (await store.listAccountDocumentTypes(accountId, { limit: 100 })).items;

    it("gives every existing account the eight seeded types, ACTIVE, in the order of §2.5", async () => {
      assert.equal(applied[0], "012_account_document_types");
      const ids = new Set<string>();
      for (const old of olds) {
        const types = await catalogueOf(old.id);
        assert.deepEqual(
          types.map((t) => t.document_type_code),
          SEEDED_DOCUMENT_TYPES.map((t) => t.code),
        );
        for (const type of types) {
          assert.match(type.id, /^adt_[0-9A-Za-z]{21,22}$/);
          assert.equal(type.account_id, old.id);
          assert.equal(type.status, "ACTIVE");
          assert.deepEqual(type.alternate_requirements, []);
          assert.equal(type.updated_at, type.created_at);
          ids.add(type.id);
        }
      }
      assert.equal(ids.size, 16, "each account's types have IDs of their own");
    });

    it("a new account gets the same catalogue as the migrated ones, with the account", async () => {
      const operator = createOperator({
        store,
        secretBox: createSecretBox(randomBytes(32)),
        clock: systemClock,
      });
      const fresh = await operator.createAccount({ organizationId, environment: "sandbox" });
      const seeded = await catalogueOf(fresh.id);
      assert.deepEqual(content(seeded), content(await catalogueOf(olds[0]?.id ?? "")));
      assert.equal(seeded[0]?.created_at, fresh.created_at, "seeded at the account's creation");
      // The same codes in a second account are no clash: codes are unique per account only.
      const second = await operator.createAccount({ organizationId, environment: "sandbox" });
      assert.equal((await catalogueOf(second.id)).length, 8);
    });

    it("a code is unique per account: a second insert of it is refused and changes nothing", async () => {
      const [existing] = await catalogueOf(olds[0]?.id ?? "");
      assert.ok(existing);
      const again = { ...existing, id: newId("accountDocumentType"), document_name: "Again" };
      assert.equal(await store.insertAccountDocumentTypeIfFree(again), false);
      assert.equal((await catalogueOf(olds[0]?.id ?? "")).length, 8);
      assert.equal(
        (await store.getAccountDocumentType(existing.account_id, existing.document_type_code))?.id,
        existing.id,
      );
    });
  });
}
