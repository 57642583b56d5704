/**
 * business.listOwners: a business's owner associations oldest first, [] when none, paginated with
 * cursors bound to the business; verbose adds each person, masked unless shown (audited); the
 * unmask permission; who may list which business's owners.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { newBusiness } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { addOwner, newPerson } from "../support/owners.js";
import { UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
import type { TestServer } from "../support/server.js";
import { useTestServer } from "../support/server.js";
import { badRequest, expectErrors, expectOk, notFound } from "../support/workflows.js";

async function audits(server: TestServer, accountId: string) {
  const events = await server.store.listEvents({ accountId });
  return events.filter((e) => e.event_type === "SENSITIVE_DATA_ACCESSED").map((e) => e.payload);
}

for (const kind of databaseKinds()) {
  describe(`business.listOwners [${kind}]`, () => {
    const server = useTestServer(kind);

    /** A business with `n` owners, added one after another (oldest first). */
    async function ownedBusiness(client: Parameters<typeof addOwner>[0], accountId: string, n: number) {
      const business = await newBusiness(client, accountId);
      const owners = [];
      for (let i = 0; i < n; i++) {
        const person_id = await newPerson(client, business.subject_record_id, { tax_id: `98765432${i}` });
        server().clock.offsetMs += 1;
        owners.push(await addOwner(client, business.business_id, { person_id, ownership_percentage: 10 }));
      }
      return { business, owners };
    }

    describe("success", () => {
      it("lists the owners oldest first, [] when none, and pages with a cursor bound to the business", async () => {
        const { client, account } = await server().fixture();
        const empty = await newBusiness(client, account.id);
        assert.deepEqual(
          expectOk(await client.call("business.listOwners", { business_id: empty.business_id })),
          {
            business_owners: [],
            has_more: false,
            next_cursor: null,
          },
        );
        const { business, owners } = await ownedBusiness(client, account.id, 3);
        const all = expectOk(await client.call("business.listOwners", { business_id: business.business_id }));
        assert.deepEqual(all, { business_owners: owners, has_more: false, next_cursor: null });
        const first = expectOk(
          await client.call("business.listOwners", { business_id: business.business_id, limit: 2 }),
        );
        assert.deepEqual(first.business_owners, owners.slice(0, 2));
        assert.equal(first.has_more, true);
        assert.ok(first.next_cursor);
        const second = expectOk(
          await client.call("business.listOwners", {
            business_id: business.business_id,
            limit: 2,
            cursor: first.next_cursor,
          }),
        );
        assert.deepEqual(second, { business_owners: owners.slice(2), has_more: false, next_cursor: null });
        // The cursor answers only the business's list.
        expectErrors(
          await client.call("business.listOwners", {
            business_id: empty.business_id,
            cursor: first.next_cursor,
          }),
          400,
          [badRequest("cursor", "is not a cursor this server issued")],
        );
      });

      it("with verbose adds each person, masked unless shown; an unmasked read is audited", async () => {
        const { client, account } = await server().fixture();
        const { business, owners } = await ownedBusiness(client, account.id, 2);
        const verbose = expectOk(
          await client.call("business.listOwners", { business_id: business.business_id, verbose: true }),
        );
        assert.deepEqual(
          verbose.business_owners.map(({ person, ...owner }) => [owner, person?.person_id, person?.tax_id]),
          owners.map((o, i) => [o, o.person_id, `*****432${i}`]),
        );
        assert.deepEqual(await audits(server(), account.id), []);
        const shown = expectOk(
          await client.call("business.listOwners", {
            business_id: business.business_id,
            verbose: true,
            show_sensitive_data: true,
          }),
        );
        assert.deepEqual(
          shown.business_owners.map((o) => o.person?.tax_id),
          ["987654320", "987654321"],
        );
        assert.deepEqual(await audits(server(), account.id), [
          {
            method: "business.listOwners",
            entities: owners.map((o) => ({
              entity_type: "Person",
              entity_id: o.person_id,
              fields: ["tax_id"],
            })),
          },
        ]);
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown business and BAD_REQUEST for bad values", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("business.listOwners", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Business", "business_id")],
        );
        expectErrors(
          await client.call("business.listOwners", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv", limit: 0 }),
          400,
          [badRequest("limit", "must be >= 1")],
        );
        expectErrors(
          await client.call("business.listOwners", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv", cursor: "x" }),
          400,
          [badRequest("cursor", "is not a cursor this server issued")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential lists", async () => {
        const { client, account, reader } = await withReader(server());
        const { business, owners } = await ownedBusiness(client, account.id, 1);
        assert.deepEqual(
          expectOk(await reader.call("business.listOwners", { business_id: business.business_id }))
            .business_owners,
          owners,
        );
      });

      it("refuses show_sensitive_data: true from a read-only or --no-unmask credential", async () => {
        const { client, account, reader, masked } = await withMaskedCredentials(server());
        const { business } = await ownedBusiness(client, account.id, 1);
        for (const viewer of [reader, masked])
          expectErrors(
            await viewer.call("business.listOwners", {
              business_id: business.business_id,
              verbose: true,
              show_sensitive_data: true,
            }),
            403,
            [UNMASK_DENIED],
          );
        assert.deepEqual(await audits(server(), account.id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's business", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const { business, owners } = await ownedBusiness(owner, accountId, 1);
          expectErrors(await viewer.call("business.listOwners", { business_id: business.business_id }), 400, [
            notFound("Business", "business_id"),
          ]);
          assert.deepEqual(
            expectOk(await owner.call("business.listOwners", { business_id: business.business_id }))
              .business_owners,
            owners,
            name,
          );
        }
      });
    });
  });
}
