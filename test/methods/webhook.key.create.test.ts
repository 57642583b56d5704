/**
 * webhook.key.create: an INACTIVE key numbered per account per UTC day, its 32-byte secret shown
 * once and sealed at rest; the 100th key of a day refused, also when created simultaneously; who
 * may create where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSecretBox } from "../../src/auth/secret-box.js";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { TEST_MASTER_KEY, useTestServer } from "../support/server.js";
import { executeSql } from "../support/sql.js";
import {
  createWebhookKey,
  getWebhookKey,
  WEBHOOK_ERRORS,
  WEBHOOK_KEY_ID,
  webhookKeyRows,
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

const prefixOf = (keyId: string) => keyId.slice(0, -2);
const numbers = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1).padStart(2, "0"));

for (const kind of databaseKinds()) {
  describe(`webhook.key.create [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("creates an INACTIVE key _01 of today with a 32-byte Base64 secret, sealed at rest", async () => {
        const { client, account } = await server().fixture();
        const before = new Date().toISOString();
        const key = await createWebhookKey(client, account.id);
        assert.deepEqual(Object.keys(key), ["key_id", "shared_secret", "status", "created_at"]);
        assert.match(key.key_id, WEBHOOK_KEY_ID);
        assert.equal(key.status, "INACTIVE");
        assert.match(key.created_at, ISO_MS);
        assert.ok(key.created_at >= before);
        assert.equal(key.key_id, `whk_${key.created_at.slice(0, 10).replaceAll("-", "")}_01`);
        const secret = Buffer.from(key.shared_secret, "base64");
        assert.equal(secret.length, 32);
        assert.equal(secret.toString("base64"), key.shared_secret, "standard Base64");

        const [row] = await webhookKeyRows(server(), account.id);
        assert.ok(row);
        assert.equal(row.status, "INACTIVE");
        assert.ok(!row.secret_sealed.includes(key.shared_secret), "the secret is not stored as such");
        assert.ok(!row.secret_sealed.includes(secret.toString("hex")));
        assert.match(row.secret_sealed, /^v2:[0-9a-f]{16}:/);
        const box = createSecretBox(TEST_MASTER_KEY);
        assert.deepEqual(box.open(row.secret_sealed, `${account.id}/${key.key_id}`), secret);
        assert.throws(() => box.open(row.secret_sealed, key.key_id), "bound to account and key");
      });

      it("numbers keys per account and per UTC day; each secret is new; get never shows it", async () => {
        const { client, account, organization } = await server().fixture();
        const first = await createWebhookKey(client, account.id);
        const second = await createWebhookKey(client, account.id);
        assert.equal(second.key_id, `${prefixOf(first.key_id)}02`);
        assert.notEqual(second.shared_secret, first.shared_secret);
        // Another account of the same organization starts at 01 again.
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        assert.equal((await createWebhookKey(client, other.id)).key_id, `${prefixOf(first.key_id)}01`);
        // Keys of another day do not count: yesterday's _05 leaves today's numbering alone.
        const fresh = await server().fixture();
        await executeSql(server().database, [
          [
            "insert into webhook_keys (account_id, key_id, secret_sealed, status, created_at) values ($1, $2, $3, $4, $5)",
            [fresh.account.id, "whk_20000101_05", "v2:x:y", "INACTIVE", "2000-01-01T00:00:00.000Z"],
          ],
        ]);
        assert.match((await createWebhookKey(fresh.client, fresh.account.id)).key_id, /_01$/);
        const got = await getWebhookKey(client, first.key_id, account.id);
        assert.ok(!JSON.stringify(got).includes(first.shared_secret));
      });

      it("answers a retry with the same Idempotency-Key with the same key and secret", async () => {
        const { client, account } = await server().fixture();
        const headers = { "Idempotency-Key": `wh-${Date.now()}` };
        const body = { account_id: account.id };
        const first = expectOk(await client.call("webhook.key.create", body, { headers }));
        const again = expectOk(await client.call("webhook.key.create", body, { headers }));
        assert.deepEqual(again, first);
        assert.equal((await webhookKeyRows(server(), account.id)).length, 1);
      });

      it("gives 99 simultaneous creates the numbers 01…99 once each; the 100th of the day is refused", async () => {
        const { client, account } = await server().fixture();
        const created = [];
        for (let batch = 0; batch < 3; batch++) {
          const results = await Promise.all(
            Array.from({ length: 33 }, () => client.call("webhook.key.create", { account_id: account.id })),
          );
          created.push(...results.map((r) => expectOk(r)));
        }
        const prefix = prefixOf(created[0]?.key_id ?? "");
        assert.deepEqual(
          created.map((k) => k.key_id).sort(),
          numbers(99).map((nn) => `${prefix}${nn}`),
        );
        assert.equal(new Set(created.map((k) => k.shared_secret)).size, 99);
        const refused = await Promise.all([
          client.call("webhook.key.create", { account_id: account.id }),
          client.call("webhook.key.create", { account_id: account.id }),
        ]);
        for (const result of refused) expectErrors(result, 400, [WEBHOOK_ERRORS.maxDailyKeys]);
        assert.equal((await webhookKeyRows(server(), account.id)).length, 99);
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies and unknown accounts, writing nothing", async () => {
        const { client, account } = await server().fixture();
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{}, [badRequest("account_id", "is required")]],
          [
            { account_id: "w_163Gh1ONk6BCHF9iYVDHcv" },
            [badRequest("account_id", 'must match pattern "^(sb_|lv_)[0-9A-Za-z]{1,22}$"')],
          ],
          [{ account_id: account.id, extra: 1 }, [badRequest("extra", "is not a known field")]],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "webhook.key.create", body), 400, errors);
        }
        expectErrors(
          await client.call("webhook.key.create", { account_id: "sb_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Account", "account_id")],
        );
        assert.deepEqual(await webhookKeyRows(server(), account.id), []);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { account, reader } = await withReader(server());
        expectErrors(await reader.call("webhook.key.create", { account_id: account.id }), 403, [
          ERRORS.readOnly("webhook.key.create"),
        ]);
        assert.deepEqual(await webhookKeyRows(server(), account.id), []);
      });

      it("hides another organization's, an unlisted and a live account", async () => {
        for (const { name, viewer, accountId } of await outOfSight(server())) {
          expectErrors(await viewer.call("webhook.key.create", { account_id: accountId }), 400, [
            notFound("Account", "account_id"),
          ]);
          assert.deepEqual(await webhookKeyRows(server(), accountId), [], name);
        }
      });
    });
  });
}
