/**
 * A credential sealed by a command that read the master key just before a rotation committed
 * must not land under the old key (issue 11, item 12): the insert checks, in its own transaction,
 * that the key check is still sealed under the key it seals with — and on PostgreSQL waits for a
 * rotation in progress to finish first.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createOperator, OperatorError } from "../src/admin/operator.js";
import { resealUnderNewKey } from "../src/admin/rotate-master-key.js";
import { sealKeyCheck } from "../src/auth/master-key-check.js";
import { createSecretBox } from "../src/auth/secret-box.js";
import { systemClock } from "../src/domain/clock.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { queryRows } from "./support/sql.js";

const ROTATED = /master key was rotated while this command ran/;

async function credentialCount(database: TestDatabase): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(database, "select count(*) as n from credentials");
  return Number(rows[0]?.n);
}

for (const kind of databaseKinds()) {
  describe(`a credential issued across a master key rotation [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    const oldBox = createSecretBox(Buffer.alloc(32, 1));
    const newBox = createSecretBox(Buffer.alloc(32, 2));
    let organizationId: string;

    before(async () => {
      database = await createTestDatabase(kind);
      store = openStore(database.target);
      await store.migrate();
      await store.transaction((tx) => tx.putMasterKeyCheck(sealKeyCheck(oldBox), new Date().toISOString()));
      const operator = createOperator({ store, secretBox: oldBox, clock: systemClock });
      organizationId = (await operator.createOrganization("Race")).id;
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    it("is refused when the rotation committed after the command read its key", async () => {
      const stale = createOperator({ store, secretBox: oldBox, clock: systemClock });
      await stale.createCredential({ organizationId, environment: "sandbox" });
      assert.equal(await credentialCount(database), 1);
      await resealUnderNewKey(store, { old: oldBox, new: newBox }, new Date().toISOString());

      await assert.rejects(stale.createCredential({ organizationId, environment: "sandbox" }), (error) => {
        assert.ok(error instanceof OperatorError);
        assert.match(error.message, ROTATED);
        return true;
      });
      assert.equal(await credentialCount(database), 1, "nothing was stored under the old key");

      const current = createOperator({ store, secretBox: newBox, clock: systemClock });
      await current.createCredential({ organizationId, environment: "sandbox" });
      const sealed = await queryRows<{ secret_key_sealed: string }>(
        database,
        "select secret_key_sealed from credentials",
      );
      assert.equal(sealed.length, 2);
      for (const row of sealed) assert.ok(row.secret_key_sealed.startsWith(`v2:${newBox.keyId}:`));
    });

    if (kind === "postgres") {
      it("waits for a rotation in progress, then refuses the old key", async () => {
        const thirdBox = createSecretBox(Buffer.alloc(32, 3));
        const rotation = new pg.Client({ connectionString: database.url });
        await rotation.connect();
        try {
          // A rotation that has replaced the key check and not yet committed.
          await rotation.query("begin");
          await rotation.query("update master_key_check set sealed = $1", [sealKeyCheck(thirdBox)]);
          const stale = createOperator({ store, secretBox: newBox, clock: systemClock });
          let settled = false;
          const issuing = stale.createCredential({ organizationId, environment: "sandbox" }).finally(() => {
            settled = true;
          });
          issuing.catch(() => {});
          await new Promise((resolve) => setTimeout(resolve, 300));
          assert.equal(settled, false, "the insert waits for the rotation's row lock");
          await rotation.query("commit");
          await assert.rejects(issuing, ROTATED);
          assert.equal(await credentialCount(database), 2, "nothing was stored under the old key");
        } finally {
          await rotation.end();
        }
      });
    }
  });
}
