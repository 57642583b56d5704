/**
 * webhook.config.update: a new URL by the same rules; its own URL again is a success; another
 * endpoint's URL refused; an unknown, another account's or deleted endpoint is a 404; who may
 * update where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { addWebhookEndpoint, listWebhookEndpoints, WEBHOOK_ERRORS } from "../support/webhooks.js";
import { badRequest, callUntyped, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

const UNKNOWN_CONFIG = "whc_163Gh1ONk6BCHF9iYVDHcv";

for (const kind of databaseKinds()) {
  describe(`webhook.config.update [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("changes the URL and updated_at; its own URL again succeeds and changes nothing", async () => {
        const { client, account } = await server().fixture();
        const { config_id } = await addWebhookEndpoint(client, account.id, "https://old.example.com/");
        const [before] = await listWebhookEndpoints(client, account.id);
        const update = (url: string) =>
          client.call("webhook.config.update", { account_id: account.id, config_id, config: { url } });
        assert.deepEqual(expectOk(await update("https://new.example.com/")), {});
        const [after] = await listWebhookEndpoints(client, account.id);
        assert.equal(after?.url, "https://new.example.com/");
        assert.equal(after?.created_at, before?.created_at);
        assert.ok((after?.updated_at ?? "") >= (before?.updated_at ?? ""));
        assert.deepEqual(expectOk(await update("https://new.example.com/")), {});
        assert.deepEqual(await listWebhookEndpoints(client, account.id), [after]);
      });
    });

    describe("errors", () => {
      it("refuses bad URLs on config.url and another endpoint's URL with URL_ALREADY_EXISTS", async () => {
        const { client, account } = await server().fixture();
        const { config_id } = await addWebhookEndpoint(client, account.id, "https://one.example.com/");
        await addWebhookEndpoint(client, account.id, "https://two.example.com/");
        const update = (url: string) =>
          client.call("webhook.config.update", { account_id: account.id, config_id, config: { url } });
        expectErrors(await update("http://one.example.com/"), 400, [
          badRequest("config.url", "must be an https:// URL"),
        ]);
        expectErrors(await update("https://two.example.com/"), 400, [WEBHOOK_ERRORS.urlExists]);
        expectErrors(
          await callUntyped(client, "webhook.config.update", { account_id: account.id, config_id }),
          400,
          [badRequest("config", "is required")],
        );
        expectErrors(
          await callUntyped(client, "webhook.config.update", {
            account_id: account.id,
            config_id: "wh_1",
            config: { url: "https://a.example" },
          }),
          400,
          [badRequest("config_id", 'must match pattern "^(whc_)[0-9A-Za-z]{1,22}$"')],
        );
        assert.deepEqual(
          (await listWebhookEndpoints(client, account.id)).map((c) => c.url),
          ["https://one.example.com/", "https://two.example.com/"],
        );
      });

      it("answers 404 ENTITY_NOT_FOUND for an unknown, another account's or deleted endpoint", async () => {
        const { client, account, organization } = await server().fixture();
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const theirs = await addWebhookEndpoint(client, other.id, "https://theirs.example.com/");
        const gone = await addWebhookEndpoint(client, account.id, "https://gone.example.com/");
        expectOk(
          await client.call("webhook.config.delete", { account_id: account.id, config_id: gone.config_id }),
        );
        for (const config_id of [UNKNOWN_CONFIG, theirs.config_id, gone.config_id]) {
          expectErrors(
            await client.call("webhook.config.update", {
              account_id: account.id,
              config_id,
              config: { url: "https://x.example.com/" },
            }),
            404,
            [WEBHOOK_ERRORS.configNotFound],
          );
        }
        assert.deepEqual(await listWebhookEndpoints(client, account.id), []);
        // An account not visible is the usual 400 on account_id.
        expectErrors(
          await client.call("webhook.config.update", {
            account_id: "sb_163Gh1ONk6BCHF9iYVDHcv",
            config_id: theirs.config_id,
            config: { url: "https://x.example.com/" },
          }),
          400,
          [notFound("Account", "account_id")],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const { config_id } = await addWebhookEndpoint(client, account.id, "https://kept.example.com/");
        expectErrors(
          await reader.call("webhook.config.update", {
            account_id: account.id,
            config_id,
            config: { url: "https://x.example.com/" },
          }),
          403,
          [ERRORS.readOnly("webhook.config.update")],
        );
        assert.equal((await listWebhookEndpoints(client, account.id))[0]?.url, "https://kept.example.com/");
      });

      it("hides another organization's, an unlisted and a live account's endpoints", async () => {
        for (const [i, { name, viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          const kept = `https://kept.example.com/${i}`;
          const { config_id } = await addWebhookEndpoint(owner, accountId, kept);
          expectErrors(
            await viewer.call("webhook.config.update", {
              account_id: accountId,
              config_id,
              config: { url: "https://x.example.com/" },
            }),
            400,
            [notFound("Account", "account_id")],
          );
          const urls = (await listWebhookEndpoints(owner, accountId)).map((c) => c.url);
          assert.ok(urls.includes(kept) && !urls.includes("https://x.example.com/"), name);
        }
      });
    });
  });
}
