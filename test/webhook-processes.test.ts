/**
 * Webhook delivery across processes (webhooks.md "Delivery"): `vetted serve` children with
 * --allow-insecure-webhooks and a 1 s attempt timeout deliver to a receiver on 127.0.0.1.
 * - SIGKILL with deliveries pending and in flight: after a restart every event is delivered
 *   (the killed process's leases lapse and their deliveries are retried as new attempts).
 * - Two processes on one PostgreSQL with a slow receiver: no (event, endpoint, retry_count)
 *   arrives twice, and every event arrives.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ChildServer } from "./support/child-server.js";
import { startChildServer, UNLIMITED } from "./support/child-server.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { createRecordingClient } from "./support/error-record.js";
import { createFaultFixture, type FaultFixture } from "./support/fault-fixture.js";
import { eventually, type Receiver, startReceiver } from "./support/webhook-receiver.js";
import { addEndpoint, addWebhookKey, deliveriesOf } from "./support/webhook-rows.js";
import { createApplication } from "./support/workflows.js";

const CHILD = {
  args: ["--allow-insecure-webhooks", ...UNLIMITED],
  env: { VETTED_WEBHOOK_TIMEOUT_MS: "1000" },
};

function clientOf(child: ChildServer, fixture: FaultFixture) {
  return createRecordingClient({
    baseUrl: child.url,
    apiKey: fixture.credential.api_key,
    secretKey: fixture.credential.secret_key,
    authToken: fixture.credential.auth_token,
  });
}

/** Each (event, endpoint path, retry_count) the receiver got, and how often. */
function receivedTwice(receiver: Receiver): string[] {
  const counts = new Map<string, number>();
  for (const r of receiver.received) {
    const key = `${r.body.id} ${r.path} ${r.body.retry_count}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key]) => key);
}

for (const kind of databaseKinds()) {
  describe(`webhook delivery across processes [${kind}]`, () => {
    let database: TestDatabase;
    let fixture: FaultFixture;
    let receiver: Receiver;
    const children: ChildServer[] = [];

    before(async () => {
      database = await createTestDatabase(kind);
      fixture = await createFaultFixture(database);
      receiver = await startReceiver();
      await addWebhookKey(database, fixture.account.id);
    });
    after(async () => {
      for (const child of children) await child.kill();
      await receiver?.close();
      await fixture?.store.close();
      await database?.drop();
    });

    it("loses no delivery to a SIGKILL: after a restart every event is delivered", async () => {
      await addEndpoint(database, fixture.account.id, `${receiver.url}/crash`);
      // Half the attempts hang until the sender's timeout: some are in flight at the kill.
      receiver.answer = (_request, index) => (index % 2 === 0 ? 200 : "hang");
      const first = await startChildServer({ database: database.url, ...CHILD });
      children.push(first);
      const client = clientOf(first, fixture);
      for (let i = 0; i < 12; i++)
        await createApplication(client, fixture.account.id, { email: `c${i}@example.com` });
      await receiver.waitFor(4);
      await first.kill();

      receiver.answer = () => 200;
      const second = await startChildServer({ database: database.url, ...CHILD });
      children.push(second);
      const events = await fixture.store.listEvents({ accountId: fixture.account.id });
      assert.equal(events.length, 12);
      await eventually(
        "every delivery succeeded",
        async () => (await deliveriesOf(database, fixture.account.id)).every((d) => d.status === "SUCCEEDED"),
        60_000,
      );
      const delivered = new Set(receiver.received.filter((r) => r.path === "/crash").map((r) => r.body.id));
      assert.deepEqual([...delivered].sort(), events.map((e) => e.id).sort());
      assert.deepEqual(receivedTwice(receiver), []);
      await second.stop();
    });

    it("two processes on one database never send the same attempt twice", {
      skip: kind !== "postgres" && "one process serves SQLite",
    }, async () => {
      receiver.received.length = 0;
      const account = fixture.account.id;
      for (const path of ["/one", "/two"]) await addEndpoint(database, account, `${receiver.url}${path}`);
      receiver.answer = () => ({ status: 200, afterMs: 150 });
      const processes = [
        await startChildServer({ database: database.url, ...CHILD, env: {} }),
        await startChildServer({ database: database.url, ...CHILD, env: {} }),
      ];
      children.push(...processes);
      const clients = processes.map((child) => clientOf(child, fixture));
      const before = new Set((await fixture.store.listEvents({ accountId: account })).map((e) => e.id));
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          createApplication(clients[i % 2] as (typeof clients)[number], account, {
            email: `p${i}@example.com`,
          }),
        ),
      );
      const events = (await fixture.store.listEvents({ accountId: account })).filter(
        (e) => !before.has(e.id),
      );
      assert.equal(events.length, 30);
      await eventually(
        "every delivery succeeded",
        async () => (await deliveriesOf(database, account)).every((d) => d.status === "SUCCEEDED"),
        60_000,
      );
      assert.deepEqual(receivedTwice(receiver), []);
      for (const path of ["/one", "/two"]) {
        const ids = receiver.received.filter((r) => r.path === path).map((r) => r.body.id);
        assert.deepEqual([...new Set(ids)].sort(), events.map((e) => e.id).sort(), path);
      }
      for (const child of processes) await child.stop();
    });
  });
}
