/**
 * Webhook delivery through the real server and a real receiver on 127.0.0.1 (webhooks.md
 * "Delivery"): every event reaches every endpoint once, sealed with the account's ACTIVE key;
 * failed attempts are retried on schedule with the same event ID and a growing retry_count; no
 * ACTIVE key holds deliveries back until one is activated; a live account's endpoint that
 * resolves to a private address is refused at delivery time, the reason recorded. Keys and
 * endpoints are written as rows (test/support/webhook-rows.ts). Names ending in .example.test
 * resolve only through the server's injected resolver; nothing leaves 127.0.0.0/8.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openWebhook } from "@vetted/client";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import { eventually, startReceiver } from "./support/webhook-receiver.js";
import {
  activateWebhookKey,
  addEndpoint,
  addWebhookKey,
  attemptsOf,
  deliveriesOf,
} from "./support/webhook-rows.js";
import { createApplication, createProvisioning, expectOk } from "./support/workflows.js";

const RESOLVED: Record<string, string> = { "loopback.example.test": "127.0.0.1" };

const WEBHOOKS = {
  allowInsecure: true,
  pollIntervalMs: 25,
  attemptTimeoutMs: 500,
  settleIntervalMs: 0,
  // Jitter pinned to its middle: each retry comes exactly min(2^n, 3600) s after the failure.
  random: () => 0.5,
  resolver: async (hostname: string) => {
    const address = RESOLVED[hostname];
    if (!address) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    return [{ address, family: 4 }];
  },
};

for (const kind of databaseKinds()) {
  describe(`webhook delivery [${kind}]`, () => {
    const server = useTestServer(kind, { webhooks: WEBHOOKS });

    it("delivers every event to every endpoint once, sealed with the ACTIVE key", async () => {
      const { client, account } = await server().fixture();
      const db = server().database;
      const key = await addWebhookKey(db, account.id);
      const receiver = await startReceiver();
      try {
        await addEndpoint(db, account.id, `${receiver.url}/a`);
        await addEndpoint(db, account.id, `${receiver.url}/b`);
        const application = await createApplication(client, account.id, { state: "CREATED" });
        const id = { workflow_id: application.workflow_id };
        expectOk(await client.call("workflow.start", id));
        expectOk(await client.call("workflow.complete", id)); // and the SYSTEM's underwriting start
        const provisioning = await createProvisioning(client, account.id, { state: "CREATED" });
        expectOk(await client.call("workflow.delete", { workflow_id: provisioning.workflow_id }));

        const events = await server().store.listEvents({ accountId: account.id });
        assert.deepEqual([...new Set(events.map((e) => e.event_type))].sort(), [
          "WORKFLOW_COMPLETED",
          "WORKFLOW_CREATED",
          "WORKFLOW_DELETED",
          "WORKFLOW_STARTED",
        ]);
        await eventually("every delivery succeeded", async () => {
          const deliveries = await deliveriesOf(db, account.id);
          return deliveries.length === events.length * 2 && deliveries.every((d) => d.status === "SUCCEEDED");
        });
        assert.equal(receiver.received.length, events.length * 2);
        const seen = new Set(receiver.received.map((r) => `${r.body.id} ${r.path}`));
        assert.equal(seen.size, events.length * 2, "no (event, endpoint) twice");
        for (const event of events) {
          assert.ok(seen.has(`${event.id} /a`) && seen.has(`${event.id} /b`), event.id);
        }
        const secrets = { [key.keyId]: key.secret };
        for (const { body, contentType } of receiver.received) {
          assert.equal(contentType, "application/json");
          assert.equal(body.retry_count, 0);
          assert.equal(body.key_id, key.keyId);
          const event = events.find((e) => e.id === body.id);
          assert.ok(event);
          assert.equal(body.event_type, event.event_type);
          assert.equal(body.timestamp, event.created_at);
          const payload = await openWebhook(body, secrets);
          assert.equal(payload.workflow_id, event.workflow_id);
          assert.equal(payload.user_context.user_type, event.actor_type);
        }
        const [first] = receiver.received;
        assert.ok(first);
        for (const field of ["id", "event_type", "timestamp", "account_id", "schema_version", "key_id"]) {
          const altered = { ...first.body, [field]: `${first.body[field]}x` };
          await assert.rejects(openWebhook(altered, { ...secrets, [`${key.keyId}x`]: key.secret }), field);
        }
      } finally {
        await receiver.close();
      }
    });

    it("retries a 500 and a timeout on schedule, then succeeds: one event ID, retry_count 0, 1, 2", async () => {
      const { client, account } = await server().fixture();
      const db = server().database;
      const key = await addWebhookKey(db, account.id);
      const receiver = await startReceiver();
      receiver.answer = (_request, index) => (index === 0 ? 500 : index === 1 ? "hang" : 200);
      try {
        const configId = await addEndpoint(db, account.id, `${receiver.url}/hook`);
        await createApplication(client, account.id);
        const [event] = await server().store.listEvents({ accountId: account.id });
        assert.ok(event);
        const attempts = () => attemptsOf(db, event.id, configId);
        const finished = (n: number) => async () =>
          (await attempts()).filter((a) => a.finished_at).length >= n;

        for (const [attempt, delayMs] of [
          [0, 2000],
          [1, 4000],
        ] as const) {
          await eventually(`attempt ${attempt} finished`, finished(attempt + 1));
          const [delivery] = await deliveriesOf(db, account.id);
          const record = (await attempts())[attempt];
          assert.equal(delivery?.status, "PENDING");
          assert.equal(delivery?.attempt_count, attempt + 1);
          // n = attempts so far (attempt + 1), the jitter at its middle.
          assert.equal(
            Date.parse(delivery?.next_attempt_at ?? "") - Date.parse(record?.finished_at ?? ""),
            delayMs,
          );
          assert.equal(receiver.received.length, attempt + 1, "nothing before the retry is due");
          server().clock.offsetMs += delayMs;
        }
        await eventually(
          "the delivery succeeded",
          async () => (await deliveriesOf(db, account.id))[0]?.status === "SUCCEEDED",
        );

        const recorded = await attempts();
        assert.deepEqual(
          recorded.map((a) => [
            a.attempt_number,
            a.key_id,
            a.http_status,
            a.error?.replace(/\d+ ms/, "N ms") ?? null,
          ]),
          [
            [0, key.keyId, 500, "HTTP 500"],
            [1, key.keyId, null, "timed out after N ms"],
            [2, key.keyId, 200, null],
          ],
        );
        for (const a of recorded)
          assert.ok(a.latency_ms !== null && a.latency_ms >= 0 && a.finished_at !== null);
        assert.deepEqual(
          receiver.received.map((r) => [r.body.id, r.body.retry_count]),
          [
            [event.id, 0],
            [event.id, 1],
            [event.id, 2],
          ],
        );
        for (const r of receiver.received) await openWebhook(r.body, { [key.keyId]: key.secret });
      } finally {
        await receiver.close();
      }
    });

    it("holds deliveries while the account has no ACTIVE key, and releases them when one is activated", async () => {
      const { client, account } = await server().fixture();
      const db = server().database;
      const key = await addWebhookKey(db, account.id, "INACTIVE");
      const receiver = await startReceiver();
      try {
        await addEndpoint(db, account.id, `${receiver.url}/hook`);
        await createApplication(client, account.id);
        await createApplication(client, account.id);
        // Several polls go by (25 ms each); none may claim anything.
        await new Promise((resolve) => setTimeout(resolve, 400));
        assert.equal(receiver.received.length, 0);
        const waiting = await deliveriesOf(db, account.id);
        assert.deepEqual(
          waiting.map((d) => [d.status, d.attempt_count]),
          [
            ["PENDING", 0],
            ["PENDING", 0],
          ],
        );
        await activateWebhookKey(db, account.id, key.keyId);
        await receiver.waitFor(2);
        for (const r of receiver.received) {
          assert.equal(r.body.retry_count, 0, "a held delivery counts as not yet attempted");
          await openWebhook(r.body, { [key.keyId]: key.secret });
        }
      } finally {
        await receiver.close();
      }
    });

    it("refuses a live account's endpoint that resolves to a loopback address, and records why", async () => {
      const { client, account } = await server().fixture({ environment: "live" });
      const db = server().database;
      await addWebhookKey(db, account.id);
      const configId = await addEndpoint(db, account.id, "https://loopback.example.test/hook");
      await createApplication(client, account.id);
      const [event] = await server().store.listEvents({ accountId: account.id });
      assert.ok(event);
      await eventually("the attempt was recorded", async () =>
        (await attemptsOf(db, event.id, configId)).some((a) => a.finished_at !== null),
      );
      const [attempt] = await attemptsOf(db, event.id, configId);
      assert.equal(attempt?.http_status, null);
      assert.match(
        attempt?.error ?? "",
        /^refused: loopback\.example\.test resolves to 127\.0\.0\.1, not a public address$/,
      );
      const [delivery] = await deliveriesOf(db, account.id);
      assert.equal(delivery?.status, "PENDING");
      assert.equal(delivery?.last_error, attempt?.error);
    });

    it("counts attempts by outcome and reports the oldest pending delivery on /metrics", async () => {
      const text = await (await fetch(`${server().url}/metrics`)).text();
      const value = (line: string) =>
        Number(text.match(new RegExp(`^${line} (\\S+)$`, "m"))?.[1] ?? Number.NaN);
      // The tests above: ≥ 12 successes, a 500 and a timeout, and at least one refusal.
      assert.ok(value('vetted_webhook_deliveries_total\\{outcome="succeeded"\\}') >= 12, text);
      assert.ok(value('vetted_webhook_deliveries_total\\{outcome="failed-attempt"\\}') >= 2);
      assert.ok(value('vetted_webhook_deliveries_total\\{outcome="refused"\\}') >= 1);
      assert.ok(value("vetted_webhook_attempt_duration_seconds_count") >= 15);
      // The refused live delivery is still pending: its event's age, in seconds.
      assert.ok(value("vetted_webhook_oldest_pending_seconds") > 0);
    });
  });
}
