/** business.salesInfo.get: the sales info; bad and unknown IDs; who may see which. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { createSalesInfo, newBusiness } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`business.salesInfo.get [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("answers the sales info as its create did", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const created = await createSalesInfo(client, business.business_id, {
          sales_method: { keyed: 100 },
          sales_amount: [{ type: "AVERAGE_MONTHLY_CREDIT_SALES", value: 0.1, currency: "USD" }],
        });
        assert.deepEqual(
          expectOk(await client.call("business.salesInfo.get", { sales_info_id: created.sales_info_id })),
          { sales_info: created },
        );
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown ID and BAD_REQUEST for a malformed one or another parameter", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("business.salesInfo.get", { sales_info_id: "bsi_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Sales Info", "sales_info_id")],
        );
        expectErrors(
          await client.call("business.salesInfo.get", { sales_info_id: "b_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [badRequest("sales_info_id", 'must match pattern "^(bsi_)[0-9A-Za-z]{1,22}$"')],
        );
        expectErrors(
          await callUntyped(client, "business.salesInfo.get", {
            sales_info_id: "bsi_163Gh1ONk6BCHF9iYVDHcv",
            show_sensitive_data: true,
          }),
          400,
          [badRequest("show_sensitive_data", "is not a known field")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential reads", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        const created = await createSalesInfo(client, business.business_id);
        assert.deepEqual(
          expectOk(await reader.call("business.salesInfo.get", { sales_info_id: created.sales_info_id })),
          { sales_info: created },
        );
      });

      it("hides another organization's, an unlisted account's and a live account's sales info", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          const created = await createSalesInfo(owner, business.business_id);
          expectErrors(
            await viewer.call("business.salesInfo.get", { sales_info_id: created.sales_info_id }),
            400,
            [notFound("Sales Info", "sales_info_id")],
          );
          assert.ok(
            (await owner.call("business.salesInfo.get", { sales_info_id: created.sales_info_id })).ok,
            name,
          );
        }
      });
    });
  });
}
