/**
 * webhook.key.activate: the single ACTIVE key of the account, the previous one DELETED; a DELETED
 * key refused, the ACTIVE one a no-op; simultaneous activations end with one ACTIVE key; a key ID
 * held by several visible accounts needs account_id; who may activate where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type OutOfSight, outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  activateWebhookKey,
  createWebhookKey,
  getWebhookKey,
  WEBHOOK_ERRORS,
  webhookKeyRows,
} from "../support/webhooks.js";
import { badRequest, callUntyped, ERRORS, expectErrors, ISO_MS, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`webhook.key.activate [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("activates a key, then the next one: the first becomes DELETED with deleted_at", async () => {
        const { client, account } = await server().fixture();
        const first = await createWebhookKey(client, account.id);
        const second = await createWebhookKey(client, account.id);
        const activated = await activateWebhookKey(client, first.key_id);
        assert.deepEqual(Object.keys(activated), ["key_id", "status", "activated_at"]);
        assert.equal(activated.key_id, first.key_id);
        assert.equal(activated.status, "ACTIVE");
        assert.match(activated.activated_at, ISO_MS);

        const next = await activateWebhookKey(client, second.key_id);
        const old = await getWebhookKey(client, first.key_id);
        assert.equal(old.status, "DELETED");
        assert.equal(old.deleted_at, next.activated_at);
        assert.equal(old.activated_at, activated.activated_at);
        assert.deepEqual(
          (await webhookKeyRows(server(), account.id)).map((r) => r.status),
          ["DELETED", "ACTIVE"],
        );
      });

      it("activating the ACTIVE key again is a success that changes nothing", async () => {
        const { client, account } = await server().fixture();
        const key = await createWebhookKey(client, account.id);
        const activated = await activateWebhookKey(client, key.key_id);
        const again = await activateWebhookKey(client, key.key_id, account.id);
        assert.deepEqual(again, activated);
        assert.deepEqual((await getWebhookKey(client, key.key_id)).status, "ACTIVE");
      });

      it("of simultaneous activations of different keys, exactly one key ends ACTIVE", async () => {
        const { client, account } = await server().fixture();
        const keys = [];
        for (let i = 0; i < 6; i++) keys.push(await createWebhookKey(client, account.id));
        await activateWebhookKey(client, keys[0]?.key_id ?? "");
        const results = await Promise.all(
          keys.slice(1).map((k) => client.call("webhook.key.activate", { key_id: k.key_id })),
        );
        // Each ran under the account's lock, one after the other: every one succeeded in its turn.
        for (const result of results) assert.ok(result.ok, JSON.stringify(result));
        const rows = await webhookKeyRows(server(), account.id);
        const active = rows.filter((r) => r.status === "ACTIVE");
        assert.equal(active.length, 1);
        assert.equal(rows.filter((r) => r.status === "DELETED").length, 5);
        for (const row of rows.filter((r) => r.status === "DELETED"))
          assert.match(row.deleted_at ?? "", ISO_MS);
      });
    });

    describe("errors", () => {
      it("refuses a DELETED key with KEY_DELETED, changing nothing", async () => {
        const { client, account } = await server().fixture();
        const first = await createWebhookKey(client, account.id);
        const second = await createWebhookKey(client, account.id);
        await activateWebhookKey(client, first.key_id);
        await activateWebhookKey(client, second.key_id);
        expectErrors(await client.call("webhook.key.activate", { key_id: first.key_id }), 400, [
          WEBHOOK_ERRORS.keyDeleted,
        ]);
        assert.equal((await getWebhookKey(client, second.key_id)).status, "ACTIVE");
      });

      it("refuses malformed key IDs on key_id and unknown keys with ENTITY_NOT_FOUND", async () => {
        const { client } = await server().fixture();
        const pattern = 'must match pattern "^whk_\\d{8}_\\d{2}$"';
        for (const key_id of ["whk_2026112_01", "whk_20261128_1", "wh_20261128_01", "whk_20261128_01 "]) {
          expectErrors(await client.call("webhook.key.activate", { key_id }), 400, [
            badRequest("key_id", pattern),
          ]);
        }
        expectErrors(await callUntyped(client, "webhook.key.activate", {}), 400, [
          badRequest("key_id", "is required"),
        ]);
        expectErrors(await client.call("webhook.key.activate", { key_id: "whk_20000101_01" }), 400, [
          notFound("Webhook Key", "key_id"),
        ]);
      });

      it("needs account_id when several visible accounts hold the key ID, and takes it to choose", async () => {
        const { client, account, organization } = await server().fixture();
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const mine = await createWebhookKey(client, account.id);
        const theirs = await createWebhookKey(client, other.id);
        assert.equal(mine.key_id, theirs.key_id);
        expectErrors(await client.call("webhook.key.activate", { key_id: mine.key_id }), 400, [
          {
            code: "BAD_REQUEST",
            message: `2 of the accounts this credential sees hold a key ${mine.key_id}; send account_id to name one`,
            field: "account_id",
          },
        ]);
        await activateWebhookKey(client, mine.key_id, other.id);
        assert.equal((await getWebhookKey(client, mine.key_id, other.id)).status, "ACTIVE");
        assert.equal((await getWebhookKey(client, mine.key_id, account.id)).status, "INACTIVE");
        // An account that does not hold the key: ENTITY_NOT_FOUND on key_id.
        const empty = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        expectErrors(
          await client.call("webhook.key.activate", { key_id: mine.key_id, account_id: empty.id }),
          400,
          [notFound("Webhook Key", "key_id")],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const key = await createWebhookKey(client, account.id);
        expectErrors(await reader.call("webhook.key.activate", { key_id: key.key_id }), 403, [
          ERRORS.readOnly("webhook.key.activate"),
        ]);
        assert.equal((await getWebhookKey(client, key.key_id)).status, "INACTIVE");
      });

      it("hides the keys of another organization's, an unlisted and a live account", async () => {
        // Fresh accounts per case: a viewer's own key may carry the same ID (numbered per account).
        for (let i = 0; i < 3; i++) {
          const { name, viewer, owner, accountId } = (await outOfSight(server()))[i] as OutOfSight;
          const key = await createWebhookKey(owner, accountId);
          expectErrors(await viewer.call("webhook.key.activate", { key_id: key.key_id }), 400, [
            notFound("Webhook Key", "key_id"),
          ]);
          expectErrors(
            await viewer.call("webhook.key.activate", { key_id: key.key_id, account_id: accountId }),
            400,
            [notFound("Account", "account_id")],
          );
          assert.equal((await getWebhookKey(owner, key.key_id, accountId)).status, "INACTIVE", name);
        }
      });
    });
  });
}
