/**
 * business.salesInfo.create: one sales info per business (also when raced), its response (a
 * sales_method channel left out reads 0) and event, the business's sales_info_id; the sum rule;
 * the ENDED guard; who may create for which business.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  createSalesInfo,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  getBusiness,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  ERRORS,
  expectErrors,
  expectOk,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const SALES_INFO_ID = /^bsi_[0-9A-Za-z]{21,22}$/;

for (const kind of databaseKinds()) {
  describe(`business.salesInfo.create [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("creates empty sales info, sets the business's sales_info_id and keeps its updated_at", async () => {
        const { client, account } = await server().fixture({ credential: { name: "seller" } });
        const business = await newBusiness(client, account.id);
        server().clock.offsetMs += 1000;
        const created = expectOk(
          await client.call("business.salesInfo.create", { business_id: business.business_id }),
        ).sales_info;
        assert.match(created.sales_info_id, SALES_INFO_ID);
        assert.match(created.created_at, ISO_MS);
        assert.deepEqual(created, {
          sales_info_id: created.sales_info_id,
          business_id: business.business_id,
          card_brands: [],
          sales_method: null,
          sales_amount: [],
          created_at: created.created_at,
          updated_at: created.created_at,
        });
        assert.deepEqual(await getBusiness(client, business.business_id), {
          ...business,
          sales_info_id: created.sales_info_id,
        });
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assertEntityEvent(
          events[1],
          {
            event_type: "SALES_INFO_CREATED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Sales Info",
            entity_id: created.sales_info_id,
          },
          "seller",
        );
      });

      it("stores what is given; a sales_method channel left out reads back as 0", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const sales_amount = [
          { type: "AVERAGE_INDIVIDUAL_SALE", value: 42.5, currency: "USD" },
          { type: "HIGHEST_TICKET_SALE", value: 1000, currency: "USD" },
        ];
        const created = await createSalesInfo(client, business.business_id, {
          card_brands: ["AMEX"],
          sales_method: { retail: 60, online: 40 },
          sales_amount,
        });
        assert.deepEqual(created.card_brands, ["AMEX"]);
        assert.deepEqual(created.sales_method, { retail: 60, telephone: 0, online: 40, keyed: 0 });
        assert.deepEqual(created.sales_amount, sales_amount);
        assert.deepEqual(
          expectOk(await client.call("business.salesInfo.get", { sales_info_id: created.sales_info_id }))
            .sales_info,
          created,
        );
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies, and a sales_method that does not sum to 100, before looking the business up", async () => {
        const { client, account } = await server().fixture();
        const { business_id } = await newBusiness(client, account.id);
        const unknown = "b_163Gh1ONk6BCHF9iYVDHcv";
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ sales_info: {} }, [badRequest("business_id", "is required")]],
          [
            { business_id, sales_info: { card_brands: ["VISA"] } },
            [badRequest("sales_info.card_brands[0]", "must be one of AMEX")],
          ],
          [
            { business_id: unknown, sales_info: { sales_method: { retail: 60, online: 30 } } },
            [badRequest("sales_info.sales_method", "must add up to exactly 100 (it adds up to 90)")],
          ],
          [
            { business_id, sales_info: { sales_method: {} } },
            [badRequest("sales_info.sales_method", "must NOT have fewer than 1 properties")],
          ],
          [
            { business_id, sales_info: { sales_method: { mail: 100 } } },
            [badRequest("sales_info.sales_method.mail", "is not a known field")],
          ],
          [
            { business_id, sales_info: { sales_method: { retail: 50.5, online: 49.5 } } },
            [
              badRequest("sales_info.sales_method.retail", "must be integer"),
              badRequest("sales_info.sales_method.online", "must be integer"),
            ],
          ],
        ];
        for (const [body, errors] of cases)
          expectErrors(await callUntyped(client, "business.salesInfo.create", body), 400, errors);
        assert.equal((await getBusiness(client, business_id)).sales_info_id, null);
      });

      it("answers ENTITY_NOT_FOUND for an unknown business", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("business.salesInfo.create", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Business", "business_id")],
        );
      });

      it("allows one sales info per business", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const first = await createSalesInfo(client, business.business_id);
        expectErrors(
          await client.call("business.salesInfo.create", { business_id: business.business_id }),
          400,
          [DATA_ERRORS.salesInfoExists],
        );
        assert.equal((await getBusiness(client, business.business_id)).sales_info_id, first.sales_info_id);
      });

      it("of 6 simultaneous creates exactly one succeeds, the others SALES_INFO_ALREADY_EXISTS", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const results = await Promise.all(
          Array.from({ length: 6 }, () =>
            client.call("business.salesInfo.create", { business_id: business.business_id }),
          ),
        );
        const winners = results.filter((r) => r.ok);
        assert.equal(winners.length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [DATA_ERRORS.salesInfoExists]);
        const winner = winners[0]?.ok ? winners[0].data.sales_info.sales_info_id : null;
        assert.equal((await getBusiness(client, business.business_id)).sales_info_id, winner);
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.deepEqual(
          events.map((e) => e.event_type),
          ["BUSINESS_CREATED", "SALES_INFO_CREATED"],
        );
      });

      it("is refused once the record's business application has ENDED", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(
          await client.call("business.salesInfo.create", { business_id: business.business_id }),
          400,
          [DATA_ERRORS.ended],
        );
        assert.equal((await getBusiness(client, business.business_id)).sales_info_id, null);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        expectErrors(
          await reader.call("business.salesInfo.create", { business_id: business.business_id }),
          403,
          [ERRORS.readOnly("business.salesInfo.create")],
        );
        assert.equal((await getBusiness(client, business.business_id)).sales_info_id, null);
      });

      it("hides another organization's, an unlisted account's and a live account's business", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          expectErrors(
            await viewer.call("business.salesInfo.create", { business_id: business.business_id }),
            400,
            [notFound("Business", "business_id")],
          );
          assert.equal((await getBusiness(owner, business.business_id)).sales_info_id, null, name);
        }
      });
    });
  });
}
