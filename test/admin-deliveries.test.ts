/**
 * The operator's delivery actions (src/admin/deliveries.ts) on deliveries written by real events
 * and sent by the real worker: a resent delivery is sent again as its next attempt — same event
 * ID, retry_count going on — and what the workers would only expire is refused with a reason.
 * The CLI around them: test/cli-admin-deliveries.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OperatorError } from "../src/admin/operator.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import { executeSql } from "./support/sql.js";
import { eventually, startReceiver } from "./support/webhook-receiver.js";
import { addEndpoint, addWebhookKey, attemptsOf, deliveriesOf } from "./support/webhook-rows.js";
import { createProvisioning } from "./support/workflows.js";

const WEBHOOKS = { allowInsecure: true, pollIntervalMs: 25, attemptTimeoutMs: 2000, settleIntervalMs: 0 };

for (const kind of databaseKinds()) {
  describe(`admin deliveries on real events [${kind}]`, () => {
    const server = useTestServer(kind, { webhooks: WEBHOOKS });

    it("resend sends a SUCCEEDED delivery again as its next attempt, with the same event ID", async () => {
      const { client, account } = await server().fixture();
      const db = server().database;
      await addWebhookKey(db, account.id);
      const receiver = await startReceiver();
      try {
        const configId = await addEndpoint(db, account.id, `${receiver.url}/hook`);
        await createProvisioning(client, account.id);
        await receiver.waitFor(1);
        await eventually("the delivery succeeded", async () =>
          (await deliveriesOf(db, account.id)).every((d) => d.status === "SUCCEEDED"),
        );
        const [listed] = await server().operator.listDeliveries(account.id);
        const [event] = await server().store.listEvents({ accountId: account.id });
        assert.deepEqual(listed, {
          delivery: `${event?.id}:${configId}`,
          event_type: "WORKFLOW_STARTED",
          url: `${receiver.url}/hook`,
          status: "SUCCEEDED",
          attempts: 1,
          next_attempt_at: null,
          last_error: null,
        });

        const resent = await server().operator.resendDelivery(listed?.delivery ?? "");
        assert.equal(resent.status, "PENDING");
        await receiver.waitFor(2);
        assert.deepEqual(
          receiver.received.map((r) => [r.body.id, r.body.retry_count]),
          [
            [event?.id, 0],
            [event?.id, 1],
          ],
        );
        await eventually("the resent delivery succeeded", async () =>
          (await deliveriesOf(db, account.id)).every((d) => d.status === "SUCCEEDED"),
        );
        const attempts = await attemptsOf(db, event?.id ?? "", configId);
        assert.deepEqual(
          attempts.map((a) => [a.attempt_number, a.http_status]),
          [
            [0, 200],
            [1, 200],
          ],
        );
        assert.deepEqual(await server().operator.listDeliveries(account.id, "PENDING"), []);
      } finally {
        await receiver.close();
      }
    });

    it("resend refuses a delivery whose endpoint was deleted, or older than 7 days", async () => {
      const { client, account } = await server().fixture();
      const db = server().database;
      // No key: the deliveries stay PENDING, so the test sets their status itself.
      const configId = await addEndpoint(db, account.id, "http://127.0.0.1:9/hook");
      await createProvisioning(client, account.id);
      await createProvisioning(client, account.id);
      const [deleted, old] = await server().operator.listDeliveries(account.id);
      const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
      await executeSql(db, [
        ["update webhook_deliveries set status = 'FAILED' where config_id = $1", [configId]],
        [
          "update webhook_deliveries set created_at = $1 where event_id = $2",
          [eightDaysAgo, old?.delivery.split(":")[0]],
        ],
      ]);
      await assert.rejects(
        server().operator.resendDelivery(old?.delivery ?? ""),
        new OperatorError(
          `delivery ${old?.delivery} cannot be resent: deliveries expire 7 days after their event`,
        ),
      );
      await executeSql(db, [
        ["update webhook_configs set deleted_at = $1 where id = $2", [new Date().toISOString(), configId]],
      ]);
      await assert.rejects(
        server().operator.resendDelivery(deleted?.delivery ?? ""),
        new OperatorError(`delivery ${deleted?.delivery} cannot be resent: its endpoint was deleted`),
      );
    });
  });
}
