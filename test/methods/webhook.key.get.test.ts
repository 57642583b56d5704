/**
 * webhook.key.get: a key's status and times, never its secret; found among the visible accounts,
 * narrowed by account_id; read-only credentials may read; invisible keys are not found.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type OutOfSight, outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { activateWebhookKey, createWebhookKey, getWebhookKey } from "../support/webhooks.js";
import { badRequest, expectErrors, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`webhook.key.get [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("answers status and times through the key's life, and never the secret", async () => {
        const { client, account } = await server().fixture();
        const key = await createWebhookKey(client, account.id);
        const inactive = await getWebhookKey(client, key.key_id);
        assert.deepEqual(inactive, {
          key_id: key.key_id,
          status: "INACTIVE",
          created_at: key.created_at,
          activated_at: null,
          deleted_at: null,
        });
        const { activated_at } = await activateWebhookKey(client, key.key_id);
        assert.deepEqual(await getWebhookKey(client, key.key_id, account.id), {
          ...inactive,
          status: "ACTIVE",
          activated_at,
        });
        const next = await createWebhookKey(client, account.id);
        const replaced = await activateWebhookKey(client, next.key_id);
        const deleted = await getWebhookKey(client, key.key_id);
        assert.deepEqual(deleted, {
          ...inactive,
          status: "DELETED",
          activated_at,
          deleted_at: replaced.activated_at,
        });
        assert.ok(!JSON.stringify(deleted).includes(key.shared_secret));
      });
    });

    describe("errors", () => {
      it("refuses a malformed key_id, and answers ENTITY_NOT_FOUND for an unknown key", async () => {
        const { client, account } = await server().fixture();
        expectErrors(await client.call("webhook.key.get", { key_id: "whk_1_01" }), 400, [
          badRequest("key_id", 'must match pattern "^whk_\\d{8}_\\d{2}$"'),
        ]);
        expectErrors(await client.call("webhook.key.get", { key_id: "whk_20000101_01" }), 400, [
          notFound("Webhook Key", "key_id"),
        ]);
        expectErrors(
          await client.call("webhook.key.get", { key_id: "whk_20000101_01", account_id: account.id }),
          400,
          [notFound("Webhook Key", "key_id")],
        );
      });

      it("needs account_id when two visible accounts hold the key ID", async () => {
        const { client, account, organization } = await server().fixture();
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const key = await createWebhookKey(client, account.id);
        await createWebhookKey(client, other.id);
        expectErrors(await client.call("webhook.key.get", { key_id: key.key_id }), 400, [
          {
            code: "BAD_REQUEST",
            message: `2 of the accounts this credential sees hold a key ${key.key_id}; send account_id to name one`,
            field: "account_id",
          },
        ]);
        assert.equal((await getWebhookKey(client, key.key_id, account.id)).created_at, key.created_at);
      });
    });

    describe("authorization", () => {
      it("a read-only credential may read a key", async () => {
        const { client, account, reader } = await withReader(server());
        const key = await createWebhookKey(client, account.id);
        assert.equal((await getWebhookKey(reader, key.key_id)).status, "INACTIVE");
      });

      it("hides the keys of another organization's, an unlisted and a live account", async () => {
        // Fresh accounts per case: a viewer's own key may carry the same ID (numbered per account).
        for (let i = 0; i < 3; i++) {
          const { viewer, owner, accountId } = (await outOfSight(server()))[i] as OutOfSight;
          const key = await createWebhookKey(owner, accountId);
          expectErrors(await viewer.call("webhook.key.get", { key_id: key.key_id }), 400, [
            notFound("Webhook Key", "key_id"),
          ]);
          expectErrors(
            await viewer.call("webhook.key.get", { key_id: key.key_id, account_id: accountId }),
            400,
            [notFound("Account", "account_id")],
          );
        }
      });
    });
  });
}
