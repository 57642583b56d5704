/**
 * The Store contract, part 1, run unchanged on the SQLite and PostgreSQL adapters (no HTTP):
 * organizations, accounts, credentials, account setup entities, subject records with keyset
 * pagination, transactions and nonces. Everything written reads back byte-identical.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../src/domain/ids.js";
import type { SubjectRecord } from "../src/domain/records.js";
import { databaseKinds } from "./support/databases.js";
import {
  account,
  at,
  credential,
  organization,
  seedAccount,
  subjectRecord,
  uniqueTail,
  useStore,
} from "./support/store-fixtures.js";

for (const kind of databaseKinds()) {
  describe(`Store contract: records [${kind}]`, () => {
    const store = useStore(kind);

    it("organizations and accounts read back exactly as written", async () => {
      const org = organization();
      await store().insertOrganization(org);
      assert.deepEqual(await store().getOrganization(org.id), org);
      assert.equal(await store().getOrganization(newId("organization")), undefined);

      const sandbox = account(org.id, { name: null, created_at: at(10), updated_at: at(10) });
      const live = account(org.id, {
        id: newId("live"),
        environment: "live",
        allow_multiple_applications_per_email: false,
        created_at: at(11),
        updated_at: at(11),
      });
      await store().insertAccount(live);
      await store().insertAccount(sandbox);
      assert.deepEqual(await store().getAccount(sandbox.id), sandbox);
      assert.deepEqual(await store().getAccount(live.id), live);
      assert.deepEqual(await store().listAccounts(org.id), [sandbox, live], "oldest first");
      const all = await store().listAccounts();
      assert.ok(all.some((a) => a.id === live.id) && all.some((a) => a.id === sandbox.id));
      assert.deepEqual(await store().listAccounts(newId("organization")), []);
    });

    it("updateAccount changes only what the patch names and returns the account", async () => {
      const acc = await seedAccount(store());
      const renamed = await store().updateAccount(acc.id, { name: "Renamed", updated_at: at(20) });
      assert.deepEqual(renamed, { ...acc, name: "Renamed", updated_at: at(20) });
      const strict = await store().updateAccount(acc.id, {
        allow_multiple_applications_per_email: false,
        updated_at: at(21),
      });
      assert.deepEqual(strict, {
        ...acc,
        name: "Renamed",
        allow_multiple_applications_per_email: false,
        updated_at: at(21),
      });
      const cleared = await store().updateAccount(acc.id, { name: null, updated_at: at(22) });
      assert.equal(cleared?.name, null);
      assert.deepEqual(await store().getAccount(acc.id), cleared);
      assert.equal(
        await store().updateAccount(newId("sandbox"), { name: "x", updated_at: at(23) }),
        undefined,
      );
    });

    it("credentials round-trip their account list, flags and nulls", async () => {
      const org = organization();
      await store().insertOrganization(org);
      const everything = credential(org.id, { name: null, created_at: at(30) });
      const scoped = credential(org.id, {
        account_ids: [newId("sandbox"), newId("sandbox")],
        read_only: true,
        signature_policy: "compat",
        created_at: at(31),
      });
      const live = credential(org.id, { api_key: newId("live"), environment: "live", created_at: at(32) });
      await store().insertCredential(scoped);
      await store().insertCredential(everything);
      await store().insertCredential(live);
      assert.deepEqual(await store().getCredential(everything.api_key), everything);
      assert.deepEqual(await store().getCredential(scoped.api_key), scoped);
      assert.deepEqual(await store().listCredentials(org.id), [everything, scoped, live]);
      assert.equal(await store().getCredential(newId("sandbox")), undefined);
      assert.deepEqual(await store().listCredentials(newId("organization")), []);
    });

    it("revokeCredential stamps once and is idempotent", async () => {
      const org = organization();
      await store().insertOrganization(org);
      const cred = credential(org.id);
      await store().insertCredential(cred);
      assert.deepEqual(await store().revokeCredential(cred.api_key, at(40)), { ...cred, revoked_at: at(40) });
      assert.deepEqual(
        await store().revokeCredential(cred.api_key, at(50)),
        { ...cred, revoked_at: at(40) },
        "a second revoke keeps the first time",
      );
      assert.equal((await store().getCredential(cred.api_key))?.revoked_at, at(40));
      assert.equal(await store().revokeCredential(newId("sandbox"), at(40)), undefined);
    });

    it("pricing models and equipment collections exist only for their own account", async () => {
      const acc = await seedAccount(store());
      const other = await seedAccount(store());
      const pm = { id: newId("pricingModel"), account_id: acc.id, name: "Standard", created_at: at(6) };
      const ec = { id: newId("equipmentCollection"), account_id: acc.id, name: "POS", created_at: at(6) };
      await store().insertPricingModel(pm);
      await store().insertEquipmentCollection(ec);
      assert.equal(await store().pricingModelExists(acc.id, pm.id), true);
      assert.equal(await store().pricingModelExists(other.id, pm.id), false);
      assert.equal(await store().pricingModelExists(acc.id, ec.id), false, "the kinds do not mix");
      assert.equal(await store().equipmentCollectionExists(acc.id, ec.id), true);
      assert.equal(await store().equipmentCollectionExists(other.id, ec.id), false);
      assert.equal(await store().equipmentCollectionExists(acc.id, pm.id), false);
    });

    it("subject records read back exactly and list by (created_at, id) in byte order", async () => {
      const acc = await seedAccount(store());
      const other = await seedAccount(store());
      const tail = uniqueTail();
      // One created_at for five records: their order is decided by ID alone, and the IDs mix
      // digits, upper and lower case so that any locale collation would order them differently.
      const tied = ["b0", "B1", "a2", "A3", "09"].map((head) =>
        subjectRecord(acc.id, { id: `sr_${head}${tail}`, created_at: at(60), updated_at: at(60) }),
      );
      const earliest = subjectRecord(acc.id, { id: `sr_z${tail}`, created_at: at(59), updated_at: at(59) });
      const latest = subjectRecord(acc.id, {
        id: `sr_0${tail}`,
        type: "PERSON",
        created_at: at(61),
        updated_at: at(62),
      });
      for (const record of [...tied, latest, earliest]) await store().insertSubjectRecord(record);
      await store().insertSubjectRecord(subjectRecord(other.id, { created_at: at(60), updated_at: at(60) }));

      const byteOrder = ["09", "A3", "B1", "a2", "b0"].map((head) => `sr_${head}${tail}`);
      const expectedIds = [earliest.id, ...byteOrder, latest.id];
      assert.deepEqual(await store().getSubjectRecord(latest.id), latest);
      assert.deepEqual(await store().getSubjectRecord(earliest.id), earliest);
      assert.equal(await store().getSubjectRecord(newId("subjectRecord")), undefined);

      const seen: SubjectRecord[] = [];
      const hasMore: boolean[] = [];
      let after: { created_at: string; id: string } | undefined;
      for (;;) {
        const page = await store().listSubjectRecords(acc.id, { limit: 3, after });
        seen.push(...page.items);
        hasMore.push(page.hasMore);
        const last = page.items.at(-1);
        if (!page.hasMore || !last) break;
        after = { created_at: last.created_at, id: last.id };
      }
      assert.deepEqual(
        seen.map((r) => r.id),
        expectedIds,
      );
      assert.deepEqual(hasMore, [true, true, false]);
      assert.deepEqual(seen[0], earliest);
      assert.deepEqual(seen.at(-1), latest);

      const whole = await store().listSubjectRecords(acc.id, { limit: 7 });
      assert.equal(whole.items.length, 7);
      assert.equal(whole.hasMore, false, "a page exactly the size of the rest has no more");
    });

    it("a transaction commits all of its writes, or none when its function throws", async () => {
      const org = organization();
      const acc = account(org.id);
      await assert.rejects(
        store().transaction(async (tx) => {
          await tx.insertOrganization(org);
          await tx.insertAccount(acc);
          assert.deepEqual(await tx.getAccount(acc.id), acc, "the transaction sees its own writes");
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal(await store().getOrganization(org.id), undefined);
      assert.equal(await store().getAccount(acc.id), undefined);

      const value = await store().transaction(async (tx) => {
        await tx.insertOrganization(org);
        await tx.insertAccount(acc);
        return "done";
      });
      assert.equal(value, "done");
      assert.deepEqual(await store().getOrganization(org.id), org);
      assert.deepEqual(await store().getAccount(acc.id), acc);
    });

    it("claimNonce: first sighting true, replay false, true again once the last sighting is outside the window", async () => {
      const key = newId("sandbox");
      const nonce = `n-${uniqueTail()}`;
      const window = 300;
      const claim = (apiKey: string, seconds: number) =>
        store().claimNonce(apiKey, nonce, at(seconds), at(seconds - window));
      assert.equal(await claim(key, 0), true);
      assert.equal(await claim(key, 1), false, "a replay inside the window");
      assert.equal(await claim(key, window), false, "a sighting exactly at seenSince still counts");
      assert.equal(await claim(newId("sandbox"), 1), true, "nonces are per API key");
      assert.equal(await claim(key, window + 1), true, "the previous sighting is now too old");
      assert.equal(await claim(key, window + 2), false, "the new sighting starts a new window");
    });

    it("claimNonce: of simultaneous claims of one nonce exactly one wins", async () => {
      const key = newId("sandbox");
      const nonce = `race-${uniqueTail()}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store().claimNonce(key, nonce, at(0), at(-300))),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
