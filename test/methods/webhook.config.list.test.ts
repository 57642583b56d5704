/**
 * webhook.config.list: the account's active endpoints, oldest first; deleted ones left out;
 * read-only credentials may list; invisible accounts are not found.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { addWebhookEndpoint, listWebhookEndpoints } from "../support/webhooks.js";
import { badRequest, callUntyped, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`webhook.config.list [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("lists active endpoints oldest first, without deleted ones; an account without any lists none", async () => {
        const { client, account } = await server().fixture();
        assert.deepEqual(await listWebhookEndpoints(client, account.id), []);
        const ids = [];
        for (const name of ["a", "b", "c"]) {
          ids.push((await addWebhookEndpoint(client, account.id, `https://${name}.example.com/`)).config_id);
        }
        expectOk(
          await client.call("webhook.config.delete", { account_id: account.id, config_id: ids[1] ?? "" }),
        );
        const listed = await listWebhookEndpoints(client, account.id);
        assert.deepEqual(
          listed.map((c) => [c.config_id, c.url]),
          [
            [ids[0], "https://a.example.com/"],
            [ids[2], "https://c.example.com/"],
          ],
        );
        for (const config of listed)
          assert.deepEqual(Object.keys(config), ["config_id", "url", "created_at", "updated_at"]);
      });
    });

    describe("errors", () => {
      it("refuses a malformed body and answers ENTITY_NOT_FOUND for an unknown account", async () => {
        const { client } = await server().fixture();
        expectErrors(await callUntyped(client, "webhook.config.list", {}), 400, [
          badRequest("account_id", "is required"),
        ]);
        expectErrors(
          await client.call("webhook.config.list", { account_id: "sb_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Account", "account_id")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential may list", async () => {
        const { client, account, reader } = await withReader(server());
        await addWebhookEndpoint(client, account.id, "https://reader.example.com/");
        assert.equal((await listWebhookEndpoints(reader, account.id)).length, 1);
      });

      it("hides another organization's, an unlisted and a live account", async () => {
        for (const [i, { viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          await addWebhookEndpoint(owner, accountId, `https://hidden.example.com/${i}`);
          expectErrors(await viewer.call("webhook.config.list", { account_id: accountId }), 400, [
            notFound("Account", "account_id"),
          ]);
        }
      });
    });
  });
}
