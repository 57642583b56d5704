/**
 * business.getOwner: the association; with verbose its person, masked unless asked otherwise; the
 * audit of an unmasked read; the unmask permission; bad and unknown IDs; who may see which owner.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { newBusiness } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { addOwner, getOwner, newPerson } from "../support/owners.js";
import { UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
import type { TestServer } from "../support/server.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, expectErrors, expectOk, notFound } from "../support/workflows.js";

async function audits(server: TestServer, accountId: string) {
  const events = await server.store.listEvents({ accountId });
  return events.filter((e) => e.event_type === "SENSITIVE_DATA_ACCESSED").map((e) => e.payload);
}

for (const kind of databaseKinds()) {
  describe(`business.getOwner [${kind}]`, () => {
    const server = useTestServer(kind);

    async function ownedBusiness(client: Parameters<typeof getOwner>[0], accountId: string) {
      const business = await newBusiness(client, accountId);
      const person_id = await newPerson(client, business.subject_record_id, {
        first_name: "Ann",
        date_of_birth: "1980-05-17",
        tax_id: "987654321",
      });
      const owner = await addOwner(client, business.business_id, { person_id, ownership_percentage: 30 });
      return { business, owner, person_id };
    }

    describe("success", () => {
      it("answers the association; verbose adds the person, tax_id masked unless shown, and audits the unmasked read", async () => {
        const { client, account } = await server().fixture();
        const { owner, person_id, business } = await ownedBusiness(client, account.id);
        const plain = await getOwner(client, owner.business_owner_id);
        assert.deepEqual(plain, owner);
        assert.equal("person" in plain, false);
        const verbose = await getOwner(client, owner.business_owner_id, { verbose: true });
        const { person, ...rest } = verbose;
        assert.deepEqual(rest, owner);
        assert.ok(person);
        assert.equal(person.person_id, person_id);
        assert.equal(person.subject_record_id, business.subject_record_id);
        assert.equal(person.first_name, "Ann");
        assert.equal(person.date_of_birth, "1980-05-17");
        assert.equal(person.tax_id, "*****4321");
        assert.deepEqual(await audits(server(), account.id), []);
        const shown = await getOwner(client, owner.business_owner_id, {
          verbose: true,
          show_sensitive_data: true,
        });
        assert.deepEqual(shown, { ...verbose, person: { ...person, tax_id: "987654321" } });
        assert.deepEqual(await audits(server(), account.id), [
          {
            method: "business.getOwner",
            entities: [{ entity_type: "Person", entity_id: person_id, fields: ["tax_id"] }],
          },
        ]);
        // Not verbose: nothing sensitive in the answer, so nothing to audit.
        await getOwner(client, owner.business_owner_id, { show_sensitive_data: true });
        assert.equal((await audits(server(), account.id)).length, 1);
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown or removed owner and BAD_REQUEST for a malformed ID or flag", async () => {
        const { client, account } = await server().fixture();
        expectErrors(
          await client.call("business.getOwner", { business_owner_id: "bo_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Business Owner", "business_owner_id")],
        );
        expectErrors(
          await client.call("business.getOwner", { business_owner_id: "b_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [badRequest("business_owner_id", 'must match pattern "^(bo_)[0-9A-Za-z]{1,22}$"')],
        );
        const { owner } = await ownedBusiness(client, account.id);
        const business_owner_id = owner.business_owner_id;
        expectErrors(
          await callUntyped(client, "business.getOwner", { business_owner_id, verbose: "yes" }),
          400,
          [badRequest("verbose", "must be boolean")],
        );
        expectOk(await client.call("business.removeOwner", { business_owner_id }));
        expectErrors(await client.call("business.getOwner", { business_owner_id, verbose: true }), 400, [
          notFound("Business Owner", "business_owner_id"),
        ]);
      });
    });

    describe("authorization", () => {
      it("a read-only credential reads", async () => {
        const { client, account, reader } = await withReader(server());
        const { owner } = await ownedBusiness(client, account.id);
        assert.deepEqual(await getOwner(reader, owner.business_owner_id), owner);
      });

      it("refuses show_sensitive_data: true from a read-only or --no-unmask credential, before the lookup", async () => {
        const { client, account, reader, masked } = await withMaskedCredentials(server());
        const { owner } = await ownedBusiness(client, account.id);
        for (const viewer of [reader, masked]) {
          for (const business_owner_id of [owner.business_owner_id, "bo_163Gh1ONk6BCHF9iYVDHcv"])
            expectErrors(
              await viewer.call("business.getOwner", {
                business_owner_id,
                verbose: true,
                show_sensitive_data: true,
              }),
              403,
              [UNMASK_DENIED],
            );
          const seen = await getOwner(viewer, owner.business_owner_id, {
            verbose: true,
            show_sensitive_data: false,
          });
          assert.equal(seen.person?.tax_id, "*****4321");
        }
        assert.deepEqual(await audits(server(), account.id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's owner association", async () => {
        for (const { name, viewer, owner: writer, accountId } of await outOfSight(server())) {
          const { owner } = await ownedBusiness(writer, accountId);
          expectErrors(
            await viewer.call("business.getOwner", {
              business_owner_id: owner.business_owner_id,
              verbose: true,
            }),
            400,
            [notFound("Business Owner", "business_owner_id")],
          );
          assert.deepEqual(await getOwner(writer, owner.business_owner_id), owner, name);
        }
      });
    });
  });
}
