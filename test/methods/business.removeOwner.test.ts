/**
 * business.removeOwner: deletes the association only (business and person stay, neither's
 * updated_at moves), writes BUSINESS_OWNER_REMOVED; not idempotent; a removed person may own
 * again; business.delete is no longer blocked; the ENDED guard; who may remove which owner.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  getBusiness,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { addOwner, getOwner, newPerson, ownerCount } from "../support/owners.js";
import { useTestServer } from "../support/server.js";
import { badRequest, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`business.removeOwner [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    async function withOwner(client: Parameters<typeof addOwner>[0], accountId: string) {
      const business = await newBusiness(client, accountId);
      const person_id = await newPerson(client, business.subject_record_id);
      const owner = await addOwner(client, business.business_id, { person_id, ownership_percentage: 100 });
      return { business, owner, person_id };
    }

    const remove = (client: Parameters<typeof addOwner>[0], business_owner_id: string) =>
      client.call("business.removeOwner", { business_owner_id });

    describe("success", () => {
      it("removes the association, keeps the business, writes its event; the person may own again", async () => {
        const { client, account } = await server().fixture({ credential: { name: "remover" } });
        const { business, owner, person_id } = await withOwner(client, account.id);
        server().clock.offsetMs += 1000;
        assert.deepEqual(expectOk(await remove(client, owner.business_owner_id)), {});
        expectErrors(
          await client.call("business.getOwner", { business_owner_id: owner.business_owner_id }),
          400,
          [notFound("Business Owner", "business_owner_id")],
        );
        assert.deepEqual(await getBusiness(client, business.business_id), business);
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assertEntityEvent(
          events[3],
          {
            event_type: "BUSINESS_OWNER_REMOVED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Business Owner",
            entity_id: owner.business_owner_id,
            linked_entity_ids: [business.business_id, person_id],
          },
          "remover",
        );
        // The total and the duplicate rule no longer count the removed association.
        const again = await addOwner(client, business.business_id, { person_id, ownership_percentage: 100 });
        assert.notEqual(again.business_owner_id, owner.business_owner_id);
        expectOk(await remove(client, again.business_owner_id));
        expectOk(await client.call("business.delete", { business_id: business.business_id }));
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown or already removed owner, BAD_REQUEST for a malformed ID", async () => {
        const { client, account } = await server().fixture();
        const { owner } = await withOwner(client, account.id);
        expectOk(await remove(client, owner.business_owner_id));
        for (const id of [owner.business_owner_id, "bo_163Gh1ONk6BCHF9iYVDHcv"])
          expectErrors(await remove(client, id), 400, [notFound("Business Owner", "business_owner_id")]);
        expectErrors(await remove(client, "p_163Gh1ONk6BCHF9iYVDHcv"), 400, [
          badRequest("business_owner_id", 'must match pattern "^(bo_)[0-9A-Za-z]{1,22}$"'),
        ]);
      });

      it("of simultaneous removes exactly one succeeds, the others ENTITY_NOT_FOUND", async () => {
        const { client, account } = await server().fixture();
        const { business, owner } = await withOwner(client, account.id);
        const results = await Promise.all(
          Array.from({ length: 5 }, () => remove(client, owner.business_owner_id)),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [notFound("Business Owner", "business_owner_id")]);
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.equal(events.filter((e) => e.event_type === "BUSINESS_OWNER_REMOVED").length, 1);
      });

      it("is refused once the record's business application has ENDED", async () => {
        const { client, account } = await server().fixture();
        const { business, owner } = await withOwner(client, account.id);
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(await remove(client, owner.business_owner_id), 400, [DATA_ERRORS.ended]);
        assert.deepEqual(await getOwner(client, owner.business_owner_id), owner);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, removing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const { business, owner } = await withOwner(client, account.id);
        expectErrors(await remove(reader, owner.business_owner_id), 403, [
          ERRORS.readOnly("business.removeOwner"),
        ]);
        assert.equal(await ownerCount(client, business.business_id), 1);
      });

      it("hides another organization's, an unlisted account's and a live account's owner association", async () => {
        for (const { name, viewer, owner: writer, accountId } of await outOfSight(server())) {
          const { business, owner } = await withOwner(writer, accountId);
          expectErrors(await remove(viewer, owner.business_owner_id), 400, [
            notFound("Business Owner", "business_owner_id"),
          ]);
          assert.equal(await ownerCount(writer, business.business_id), 1, name);
        }
      });
    });
  });
}
