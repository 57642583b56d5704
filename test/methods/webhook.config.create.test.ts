/**
 * webhook.config.create: the URL rules (https only, http:// on localhost with
 * --allow-insecure-webhooks), one active endpoint per URL and at most 20 per account, also under
 * simultaneous creates; who may add where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { startSecondApp, useTestServer } from "../support/server.js";
import {
  addWebhookEndpoint,
  listWebhookEndpoints,
  WEBHOOK_CONFIG_ID,
  WEBHOOK_ERRORS,
  webhookConfigRows,
} from "../support/webhooks.js";
import { badRequest, callUntyped, ERRORS, expectErrors, ISO_MS, notFound } from "../support/workflows.js";

const HTTPS_ONLY = "must be an https:// URL";
const NOT_ABSOLUTE = "must be an absolute https:// URL";
const NO_SCHEME = 'must match pattern "^https?://"';
const CREDENTIALS = "must not contain credentials (user:password@)";
const LOOPBACK_ONLY = "may be http:// only on localhost, 127.0.0.1 or [::1] (--allow-insecure-webhooks)";

/** [url, the problem on this server, the problem on a server with --allow-insecure-webhooks]. */
const URL_RULES: [string, string | undefined, string | undefined][] = [
  ["https://hooks.example.com/vetted", undefined, undefined],
  ["https://hooks.example.com:8443/a?b=c", undefined, undefined],
  [`https://hooks.example.com/${"a".repeat(2048 - 26)}`, undefined, undefined],
  [
    `https://hooks.example.com/${"a".repeat(2048 - 25)}`,
    "must NOT have more than 2048 characters",
    "must NOT have more than 2048 characters",
  ],
  ["http://hooks.example.com/", HTTPS_ONLY, LOOPBACK_ONLY],
  ["http://localhost:4000/hook", HTTPS_ONLY, undefined],
  ["http://127.0.0.1:4000/hook", HTTPS_ONLY, undefined],
  ["http://[::1]:4000/hook", HTTPS_ONLY, undefined],
  ["http://10.0.0.1/hook", HTTPS_ONLY, LOOPBACK_ONLY],
  ["http://localhost.example.com/", HTTPS_ONLY, LOOPBACK_ONLY],
  ["https://user:pw@hooks.example.com/", CREDENTIALS, CREDENTIALS],
  ["https://user@hooks.example.com/", CREDENTIALS, CREDENTIALS],
  ["http://user@localhost/", CREDENTIALS, CREDENTIALS],
  ["hooks.example.com/vetted", NO_SCHEME, NO_SCHEME],
  ["/vetted", NO_SCHEME, NO_SCHEME],
  ["ftp://hooks.example.com/", NO_SCHEME, NO_SCHEME],
  ["https:hooks.example.com", NO_SCHEME, NO_SCHEME],
  ["HTTPS://hooks.example.com/", NO_SCHEME, NO_SCHEME],
  ["https://", NOT_ABSOLUTE, NOT_ABSOLUTE],
  [
    "https://exa mple.com/",
    "must not contain spaces or control characters",
    "must not contain spaces or control characters",
  ],
  [" https://hooks.example.com/", NO_SCHEME, NO_SCHEME],
  [
    "https://hooks.example.com/\t",
    "must not contain spaces or control characters",
    "must not contain spaces or control characters",
  ],
  ["", "must NOT have fewer than 1 characters", "must NOT have fewer than 1 characters"],
];

for (const kind of databaseKinds()) {
  describe(`webhook.config.create [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("adds an endpoint with a whc_ ID, listed with its exact URL", async () => {
        const { client, account } = await server().fixture();
        const url = "https://Hooks.Example.com/vetted?x=1";
        const { config_id } = await addWebhookEndpoint(client, account.id, url);
        assert.match(config_id, WEBHOOK_CONFIG_ID);
        const [listed] = await listWebhookEndpoints(client, account.id);
        assert.equal(listed?.config_id, config_id);
        assert.equal(listed?.url, url);
        assert.match(listed?.created_at ?? "", ISO_MS);
        assert.equal(listed?.updated_at, listed?.created_at);
      });

      it("judges URLs by webhooks.md's rules, on a server with and without --allow-insecure-webhooks", async () => {
        const { client, account, credential } = await server().fixture();
        const insecure = await startSecondApp(server(), { allowInsecureWebhooks: true });
        try {
          const relaxed = insecure.clientFor(credential);
          for (const [i, [url, strict, lenient]] of URL_RULES.entries()) {
            for (const [who, problem] of [
              [client, strict],
              [relaxed, lenient],
            ] as const) {
              // Each accepted URL made unique per server: a query, or the last character of the longest.
              const tag = `${i}${who === client ? "s" : "r"}`;
              const unique =
                url.length < 2000
                  ? `${url}${url.includes("?") ? "&" : "?"}n=${tag}`
                  : `${url.slice(0, -1)}${tag.slice(-1)}`;
              const target = problem === undefined ? unique : url;
              const result = await who.call("webhook.config.create", {
                account_id: account.id,
                config: { url: target },
              });
              if (problem === undefined) assert.ok(result.ok, `${target}: ${JSON.stringify(result)}`);
              else expectErrors(result, 400, [badRequest("config.url", problem)]);
            }
          }
        } finally {
          await insecure.stop();
        }
        const accepted = URL_RULES.filter(([, strict]) => strict === undefined).length;
        const acceptedLenient = URL_RULES.filter(([, , lenient]) => lenient === undefined).length;
        assert.equal((await webhookConfigRows(server(), account.id)).length, accepted + acceptedLenient);
      });

      it("accepts a deleted endpoint's URL again", async () => {
        const { client, account } = await server().fixture();
        const url = "https://hooks.example.com/again";
        const { config_id } = await addWebhookEndpoint(client, account.id, url);
        expectErrors(
          await client.call("webhook.config.create", { account_id: account.id, config: { url } }),
          400,
          [WEBHOOK_ERRORS.urlExists],
        );
        await client.call("webhook.config.delete", { account_id: account.id, config_id });
        const again = await addWebhookEndpoint(client, account.id, url);
        assert.notEqual(again.config_id, config_id);
        // The same URL in another account is another endpoint.
        const other = await server().fixture();
        await addWebhookEndpoint(other.client, other.account.id, url);
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies and unknown accounts, writing nothing", async () => {
        const { client, account } = await server().fixture();
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ account_id: account.id }, [badRequest("config", "is required")]],
          [{ account_id: account.id, config: {} }, [badRequest("config.url", "is required")]],
          [
            { account_id: account.id, config: { url: "https://a.example", secret: "x" } },
            [badRequest("config.secret", "is not a known field")],
          ],
          [{ account_id: account.id, config: { url: 5 } }, [badRequest("config.url", "must be string")]],
        ];
        for (const [body, errors] of cases)
          expectErrors(await callUntyped(client, "webhook.config.create", body), 400, errors);
        expectErrors(
          await client.call("webhook.config.create", {
            account_id: "sb_163Gh1ONk6BCHF9iYVDHcv",
            config: { url: "https://a.example" },
          }),
          400,
          [notFound("Account", "account_id")],
        );
        // BAD_REQUEST on the URL comes before the account lookup.
        expectErrors(
          await client.call("webhook.config.create", {
            account_id: "sb_163Gh1ONk6BCHF9iYVDHcv",
            config: { url: "http://a.example" },
          }),
          400,
          [badRequest("config.url", HTTPS_ONLY)],
        );
        assert.deepEqual(await webhookConfigRows(server(), account.id), []);
      });

      it("of 6 simultaneous creates of one URL exactly one succeeds, the others URL_ALREADY_EXISTS", async () => {
        const { client, account } = await server().fixture();
        const body = { account_id: account.id, config: { url: "https://hooks.example.com/race" } };
        const results = await Promise.all(
          Array.from({ length: 6 }, () => client.call("webhook.config.create", body)),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [WEBHOOK_ERRORS.urlExists]);
        assert.equal((await webhookConfigRows(server(), account.id)).length, 1);
      });

      it("allows 20 active endpoints: of 5 simultaneous creates at 19 exactly one wins", async () => {
        const { client, account } = await server().fixture();
        for (let i = 0; i < 19; i++)
          await addWebhookEndpoint(client, account.id, `https://hooks.example.com/${i}`);
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            client.call("webhook.config.create", {
              account_id: account.id,
              config: { url: `https://racer.example.com/${i}` },
            }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [WEBHOOK_ERRORS.maxUrls]);
        assert.equal((await listWebhookEndpoints(client, account.id)).length, 20);
        // A deleted endpoint frees its place.
        const [first] = await listWebhookEndpoints(client, account.id);
        await client.call("webhook.config.delete", {
          account_id: account.id,
          config_id: first?.config_id ?? "",
        });
        await addWebhookEndpoint(client, account.id, "https://hooks.example.com/twentieth");
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { account, reader } = await withReader(server());
        expectErrors(
          await reader.call("webhook.config.create", {
            account_id: account.id,
            config: { url: "https://a.example" },
          }),
          403,
          [ERRORS.readOnly("webhook.config.create")],
        );
        assert.deepEqual(await webhookConfigRows(server(), account.id), []);
      });

      it("hides another organization's, an unlisted and a live account", async () => {
        for (const { name, viewer, accountId } of await outOfSight(server())) {
          expectErrors(
            await viewer.call("webhook.config.create", {
              account_id: accountId,
              config: { url: "https://a.example" },
            }),
            400,
            [notFound("Account", "account_id")],
          );
          assert.deepEqual(await webhookConfigRows(server(), accountId), [], name);
        }
      });
    });
  });
}
