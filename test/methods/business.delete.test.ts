/**
 * business.delete: a hard delete that takes the sales info with it and writes BUSINESS_DELETED
 * (none for the sales info); refused with ENTITY_LINKED while owner or bank-account associations
 * exist; not idempotent; the ENDED guard; who may delete which business.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  createBusiness,
  createSalesInfo,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  getBusiness,
  insertLinks,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { badRequest, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

const AT = "2025-03-24T10:00:00.000Z";

for (const kind of databaseKinds()) {
  describe(`business.delete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("deletes the business and its sales info, with one BUSINESS_DELETED event", async () => {
        const { client, account } = await server().fixture({ credential: { name: "cleaner" } });
        const business = await newBusiness(client, account.id);
        const salesInfo = await createSalesInfo(client, business.business_id);
        expectOk(await client.call("business.delete", { business_id: business.business_id }));
        expectErrors(await client.call("business.get", { business_id: business.business_id }), 400, [
          notFound("Business", "business_id"),
        ]);
        expectErrors(
          await client.call("business.salesInfo.get", { sales_info_id: salesInfo.sales_info_id }),
          400,
          [notFound("Sales Info", "sales_info_id")],
        );
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.deepEqual(
          events.map((e) => e.event_type),
          ["BUSINESS_CREATED", "SALES_INFO_CREATED", "BUSINESS_DELETED"],
        );
        assertEntityEvent(
          events[2],
          {
            event_type: "BUSINESS_DELETED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Business",
            entity_id: business.business_id,
          },
          "cleaner",
        );
        // The record may hold a business again, under a new ID.
        const again = await createBusiness(client, business.subject_record_id);
        assert.notEqual(again.business_id, business.business_id);
      });
    });

    describe("errors", () => {
      it("is refused with ENTITY_LINKED naming the methods that remove the links present", async () => {
        const { client, account } = await server().fixture();
        const cases: [{ owner?: boolean; bankAccount?: string[] }, string[]][] = [
          [{ owner: true }, ["business.removeOwner"]],
          [{ bankAccount: ["PRIMARY"] }, ["business.removeBankAccount"]],
          [{ owner: true, bankAccount: [] }, ["business.removeOwner", "business.removeBankAccount"]],
        ];
        for (const [links, related] of cases) {
          const business = await newBusiness(client, account.id);
          await createSalesInfo(client, business.business_id);
          await insertLinks(server(), business, links, AT);
          const before = await getBusiness(client, business.business_id, { verbose: true });
          expectErrors(await client.call("business.delete", { business_id: business.business_id }), 400, [
            DATA_ERRORS.businessLinked(related),
          ]);
          assert.deepEqual(await getBusiness(client, business.business_id, { verbose: true }), before);
          assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 2);
        }
      });

      it("answers ENTITY_NOT_FOUND for an unknown or already deleted business, BAD_REQUEST for a malformed ID", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        expectOk(await client.call("business.delete", { business_id: business.business_id }));
        for (const business_id of [business.business_id, "b_163Gh1ONk6BCHF9iYVDHcv"]) {
          expectErrors(await client.call("business.delete", { business_id }), 400, [
            notFound("Business", "business_id"),
          ]);
        }
        expectErrors(
          await client.call("business.delete", { business_id: "ba_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [badRequest("business_id", 'must match pattern "^(b_)[0-9A-Za-z]{1,22}$"')],
        );
      });

      it("is refused once the record's business application has ENDED; the guard comes before ENTITY_LINKED", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        await insertLinks(server(), business, { owner: true }, AT);
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(await client.call("business.delete", { business_id: business.business_id }), 400, [
          DATA_ERRORS.ended,
        ]);
        await getBusiness(client, business.business_id);
      });

      it("of simultaneous deletes exactly one succeeds, the others ENTITY_NOT_FOUND", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const results = await Promise.all(
          Array.from({ length: 4 }, () =>
            client.call("business.delete", { business_id: business.business_id }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [notFound("Business", "business_id")]);
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.deepEqual(
          events.map((e) => e.event_type),
          ["BUSINESS_CREATED", "BUSINESS_DELETED"],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, deleting nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        expectErrors(await reader.call("business.delete", { business_id: business.business_id }), 403, [
          ERRORS.readOnly("business.delete"),
        ]);
        assert.deepEqual(await getBusiness(client, business.business_id), business);
      });

      it("hides another organization's, an unlisted account's and a live account's business", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          expectErrors(await viewer.call("business.delete", { business_id: business.business_id }), 400, [
            notFound("Business", "business_id"),
          ]);
          assert.deepEqual(await getBusiness(owner, business.business_id), business, name);
        }
      });
    });
  });
}
