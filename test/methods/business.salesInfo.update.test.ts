/**
 * business.salesInfo.update under data.md §2.3: null unsets sales_method, null or [] empties the
 * arrays, a given sales_method replaces the whole object (a channel left out reads 0) and must sum
 * to 100 again; an empty wrapper changes nothing; SALES_INFO_UPDATED names the fields; the ENDED
 * guard; who may update which sales info.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VettedClient } from "@vetted/client";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  createSalesInfo,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  newBusiness,
  type SalesInfoObject,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import type { TestServer } from "../support/server.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

const FULL = {
  card_brands: ["AMEX"],
  sales_method: { retail: 25, telephone: 25, online: 25, keyed: 25 },
  sales_amount: [{ type: "AVERAGE_INDIVIDUAL_SALE", value: 12.34, currency: "USD" }],
};

async function getSalesInfo(client: VettedClient, id: string): Promise<SalesInfoObject> {
  return expectOk(await client.call("business.salesInfo.get", { sales_info_id: id })).sales_info;
}

async function salesInfoOf(server: TestServer, name?: string) {
  const { client, account } = await server.fixture(name ? { credential: { name } } : {});
  const business = await newBusiness(client, account.id);
  const info = await createSalesInfo(client, business.business_id, FULL);
  return { client, account, business, info };
}

for (const kind of databaseKinds()) {
  describe(`business.salesInfo.update [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("replaces sales_method whole, empties arrays given as null or [], and moves updated_at", async () => {
        const { client, account, business, info } = await salesInfoOf(server(), "editor");
        server().clock.offsetMs += 1000;
        const sales_info = { sales_method: { online: 100 }, card_brands: null, sales_amount: [] };
        expectOk(
          await client.call("business.salesInfo.update", { sales_info_id: info.sales_info_id, sales_info }),
        );
        const after = await getSalesInfo(client, info.sales_info_id);
        assert.ok(after.updated_at > info.updated_at);
        assert.deepEqual(after, {
          ...info,
          card_brands: [],
          sales_method: { retail: 0, telephone: 0, online: 100, keyed: 0 },
          sales_amount: [],
          updated_at: after.updated_at,
        });
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assertEntityEvent(
          events[2],
          {
            event_type: "SALES_INFO_UPDATED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Sales Info",
            entity_id: info.sales_info_id,
            fields: ["card_brands", "sales_amount", "sales_method"],
          },
          "editor",
        );
      });

      it("unsets sales_method given as null and keeps what is left out", async () => {
        const { client, info } = await salesInfoOf(server());
        expectOk(
          await client.call("business.salesInfo.update", {
            sales_info_id: info.sales_info_id,
            sales_info: { sales_method: null },
          }),
        );
        const after = await getSalesInfo(client, info.sales_info_id);
        assert.deepEqual(after, { ...info, sales_method: null, updated_at: after.updated_at });
      });

      it("with an empty or absent wrapper changes nothing, keeps updated_at and writes no event", async () => {
        const { client, account, business, info } = await salesInfoOf(server());
        server().clock.offsetMs += 1000;
        for (const body of [
          { sales_info_id: info.sales_info_id, sales_info: {} },
          { sales_info_id: info.sales_info_id },
        ])
          expectOk(await client.call("business.salesInfo.update", body));
        assert.deepEqual(await getSalesInfo(client, info.sales_info_id), info);
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 2);
      });
    });

    describe("errors", () => {
      it("refuses a sales_method that does not sum to 100 and malformed values, changing nothing", async () => {
        const { client, info } = await salesInfoOf(server());
        const sales_info_id = info.sales_info_id;
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [
            { sales_info_id, sales_info: { sales_method: { retail: 101 } } },
            [badRequest("sales_info.sales_method.retail", "must be <= 100")],
          ],
          [
            { sales_info_id, sales_info: { sales_method: { retail: 99 } } },
            [badRequest("sales_info.sales_method", "must add up to exactly 100 (it adds up to 99)")],
          ],
          [
            { sales_info_id, sales_info: { business_id: "b_1" } },
            [badRequest("sales_info.business_id", "is not a known field")],
          ],
          [
            { sales_info_id, sales_info: { sales_amount: [{ type: "AVERAGE_INDIVIDUAL_SALE", value: 1 }] } },
            [badRequest("sales_info.sales_amount[0].currency", "is required")],
          ],
        ];
        for (const [body, errors] of cases)
          expectErrors(await callUntyped(client, "business.salesInfo.update", body), 400, errors);
        assert.deepEqual(await getSalesInfo(client, sales_info_id), info);
      });

      it("answers ENTITY_NOT_FOUND for an unknown sales info", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("business.salesInfo.update", { sales_info_id: "bsi_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Sales Info", "sales_info_id")],
        );
      });

      it("is refused once the record's business application has ENDED", async () => {
        const { client, account, business, info } = await salesInfoOf(server());
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(
          await client.call("business.salesInfo.update", {
            sales_info_id: info.sales_info_id,
            sales_info: { card_brands: [] },
          }),
          400,
          [DATA_ERRORS.ended],
        );
        assert.deepEqual(await getSalesInfo(client, info.sales_info_id), info);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        const info = await createSalesInfo(client, business.business_id);
        expectErrors(
          await reader.call("business.salesInfo.update", {
            sales_info_id: info.sales_info_id,
            sales_info: {},
          }),
          403,
          [ERRORS.readOnly("business.salesInfo.update")],
        );
      });

      it("hides another organization's, an unlisted account's and a live account's sales info", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          const info = await createSalesInfo(owner, business.business_id);
          const body = { sales_info_id: info.sales_info_id, sales_info: { card_brands: ["AMEX" as const] } };
          expectErrors(await viewer.call("business.salesInfo.update", body), 400, [
            notFound("Sales Info", "sales_info_id"),
          ]);
          assert.deepEqual(await getSalesInfo(owner, info.sales_info_id), info, name);
        }
      });
    });
  });
}
