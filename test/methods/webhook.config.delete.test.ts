/**
 * webhook.config.delete: a soft delete (the row stays, deleted_at set); a second delete, an
 * unknown or another account's endpoint is a 404, also for simultaneous deletes; who may delete.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  addWebhookEndpoint,
  listWebhookEndpoints,
  WEBHOOK_ERRORS,
  webhookConfigRows,
} from "../support/webhooks.js";
import {
  badRequest,
  callUntyped,
  ERRORS,
  expectErrors,
  expectOk,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`webhook.config.delete [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("soft-deletes: gone from the list, the row kept with deleted_at", async () => {
        const { client, account } = await server().fixture();
        const { config_id } = await addWebhookEndpoint(client, account.id, "https://bye.example.com/");
        assert.deepEqual(
          expectOk(await client.call("webhook.config.delete", { account_id: account.id, config_id })),
          {},
        );
        assert.deepEqual(await listWebhookEndpoints(client, account.id), []);
        const [row] = await webhookConfigRows(server(), account.id);
        assert.equal(row?.id, config_id);
        assert.match(row?.deleted_at ?? "", ISO_MS);
      });
    });

    describe("errors", () => {
      it("answers 404 for a deleted, unknown or another account's endpoint; of simultaneous deletes one wins", async () => {
        const { client, account, organization } = await server().fixture();
        const { config_id } = await addWebhookEndpoint(client, account.id, "https://twice.example.com/");
        const results = await Promise.all(
          Array.from({ length: 4 }, () =>
            client.call("webhook.config.delete", { account_id: account.id, config_id }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 404, [WEBHOOK_ERRORS.configNotFound]);
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const theirs = await addWebhookEndpoint(client, other.id, "https://theirs.example.com/");
        for (const id of ["whc_163Gh1ONk6BCHF9iYVDHcv", theirs.config_id]) {
          expectErrors(
            await client.call("webhook.config.delete", { account_id: account.id, config_id: id }),
            404,
            [WEBHOOK_ERRORS.configNotFound],
          );
        }
        assert.equal((await listWebhookEndpoints(client, other.id)).length, 1);
        expectErrors(await callUntyped(client, "webhook.config.delete", { account_id: account.id }), 400, [
          badRequest("config_id", "is required"),
        ]);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const { config_id } = await addWebhookEndpoint(client, account.id, "https://kept.example.com/");
        expectErrors(await reader.call("webhook.config.delete", { account_id: account.id, config_id }), 403, [
          ERRORS.readOnly("webhook.config.delete"),
        ]);
        assert.equal((await listWebhookEndpoints(client, account.id)).length, 1);
      });

      it("hides another organization's, an unlisted and a live account's endpoints", async () => {
        for (const [i, { name, viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          const kept = `https://kept.example.com/${i}`;
          const { config_id } = await addWebhookEndpoint(owner, accountId, kept);
          expectErrors(
            await viewer.call("webhook.config.delete", { account_id: accountId, config_id }),
            400,
            [notFound("Account", "account_id")],
          );
          const urls = (await listWebhookEndpoints(owner, accountId)).map((c) => c.url);
          assert.ok(urls.includes(kept), name);
        }
      });
    });
  });
}
