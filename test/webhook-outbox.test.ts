/**
 * The outbox's claim and finish, on the store itself (src/store/shared/deliveries.ts;
 * docs/webhooks.md "Delivery"): a lapsed lease is claimed again as the next attempt and the late
 * finish of the first changes nothing; simultaneous claims take disjoint deliveries; the 96th
 * failed attempt makes the delivery FAILED; deliveries of deleted endpoints and deliveries held
 * 7 days for want of a key are FAILED with the reason; the retry schedule's bounds.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Account } from "../src/domain/records.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/store.js";
import { afterFailedAttempt, MAX_ATTEMPTS, retryDelayMs } from "../src/webhooks/schedule.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { executeSql } from "./support/sql.js";
import { at, event, seedAccount, subjectRecord, workflow } from "./support/store-fixtures.js";
import { addEndpoint, addWebhookKey, attemptsOf, deliveriesOf } from "./support/webhook-rows.js";

const lease = (seconds: number) => ({ now: at(seconds), leaseUntil: at(seconds + 35), limit: 10 });

for (const kind of databaseKinds()) {
  describe(`webhook outbox [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(kind);
      store = openStore(database.target, { sqliteWriterThread: true });
      await store.migrate();
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    /** An account with a key (unless `key` is false), one endpoint, and `events` events at at(4). */
    async function outbox(
      events: number,
      key = true,
    ): Promise<{ account: Account; configId: string; eventIds: string[] }> {
      const account = await seedAccount(store);
      if (key) await addWebhookKey(database, account.id);
      const configId = await addEndpoint(database, account.id, "https://example.com/hook");
      const record = subjectRecord(account.id);
      await store.insertSubjectRecord(record);
      const wf = workflow(record, "ACCOUNT_PROVISIONING");
      await store.insertWorkflow({ workflow: wf, emailClaim: null });
      const eventIds: string[] = [];
      for (let i = 0; i < events; i++) {
        const e = event(wf);
        await store.insertEvent(e);
        eventIds.push(e.id);
      }
      return { account, configId, eventIds };
    }

    it("claims a lapsed lease again as the next attempt; the first holder's late finish changes nothing", async () => {
      const { account, configId, eventIds } = await outbox(1);
      const [first] = await store.claimDeliveries({ ...lease(10), owner: "A", leaseUntil: at(20) });
      assert.equal(first?.attemptNumber, 0);
      assert.equal(first.url, "https://example.com/hook");
      assert.equal(first.event.id, eventIds[0]);
      assert.deepEqual(await store.claimDeliveries({ ...lease(15), owner: "B" }), [], "leased until 20");
      const [second] = await store.claimDeliveries({ ...lease(21), owner: "B" });
      assert.equal(second?.attemptNumber, 1);
      const finish = { eventId: first.event.id, configId, finishedAt: at(22), latencyMs: 5 };
      assert.equal(
        await store.finishDelivery({
          ...finish,
          owner: "A",
          attemptNumber: 0,
          httpStatus: 200,
          error: null,
          next: { status: "SUCCEEDED" },
        }),
        false,
      );
      let [delivery] = await deliveriesOf(database, account.id);
      assert.deepEqual([delivery?.status, delivery?.attempt_count], ["PENDING", 2]);
      assert.equal(
        await store.finishDelivery({
          ...finish,
          owner: "B",
          attemptNumber: 1,
          httpStatus: 503,
          error: "HTTP 503",
          next: { status: "PENDING", nextAttemptAt: at(26) },
        }),
        true,
      );
      [delivery] = await deliveriesOf(database, account.id);
      assert.deepEqual(
        [delivery?.status, delivery?.next_attempt_at, delivery?.last_error],
        ["PENDING", at(26), "HTTP 503"],
      );
      const attempts = await attemptsOf(database, first.event.id, configId);
      assert.deepEqual(
        attempts.map((a) => [a.attempt_number, a.finished_at, a.http_status, a.error]),
        [
          [0, null, null, null],
          [1, at(22), 503, "HTTP 503"],
        ],
      );
      assert.deepEqual(await store.claimDeliveries({ ...lease(25), owner: "C" }), [], "not due before 26");
    });

    it("gives simultaneous claims disjoint deliveries", async () => {
      await outbox(12);
      const claims = await Promise.all(
        ["P", "Q", "R"].map((owner) => store.claimDeliveries({ ...lease(100), owner, limit: 12 })),
      );
      const claimed = claims.flat().map((c) => `${c.event.id} ${c.configId} ${c.attemptNumber}`);
      assert.equal(new Set(claimed).size, claimed.length);
      assert.ok(claimed.length >= 12);
    });

    it("makes the delivery FAILED when its 96th attempt fails", async () => {
      const { account, configId, eventIds } = await outbox(1);
      await executeSql(database, [
        [
          "update webhook_deliveries set attempt_count = $1 where event_id = $2",
          [MAX_ATTEMPTS - 1, eventIds[0]],
        ],
      ]);
      // Earlier tests' leases have lapsed by now too: find this test's delivery among the claimed.
      const claimed = await store.claimDeliveries({ ...lease(200), owner: "A", limit: 1000 });
      const last = claimed.find((c) => c.event.id === eventIds[0]);
      assert.equal(last?.attemptNumber, MAX_ATTEMPTS - 1);
      const next = afterFailedAttempt(last.attemptNumber, Date.parse(at(201)), () => 0.5);
      assert.deepEqual(next, { status: "FAILED" });
      await store.finishDelivery({
        eventId: last.event.id,
        configId,
        owner: "A",
        attemptNumber: last.attemptNumber,
        finishedAt: at(201),
        httpStatus: 500,
        latencyMs: 3,
        error: "HTTP 500",
        next,
      });
      const [delivery] = await deliveriesOf(database, account.id);
      assert.deepEqual([delivery?.status, delivery?.last_error], ["FAILED", "HTTP 500"]);
    });

    it("fails deliveries of deleted endpoints and those held 7 days without a key, saying why", async () => {
      const gone = await outbox(1);
      await executeSql(database, [
        ["update webhook_configs set deleted_at = $1 where id = $2", [at(5), gone.configId]],
      ]);
      const keyless = await outbox(1, false);
      const week = 7 * 24 * 3600;
      // A claim never takes either: one's endpoint is deleted, the other's account has no key.
      const claimed = await store.claimDeliveries({ ...lease(week), owner: "A", limit: 1000 });
      assert.ok(!claimed.some((c) => c.event.id === gone.eventIds[0] || c.event.id === keyless.eventIds[0]));
      await store.settleUndeliverable(at(week), at(3)); // not expired yet: the event is at(4)
      assert.equal((await deliveriesOf(database, keyless.account.id))[0]?.status, "PENDING");
      assert.deepEqual(
        (await deliveriesOf(database, gone.account.id)).map((d) => [d.status, d.last_error, d.attempt_count]),
        [["FAILED", "endpoint deleted", 0]],
      );
      await store.settleUndeliverable(at(week + 5), at(5));
      assert.deepEqual(
        (await deliveriesOf(database, keyless.account.id)).map((d) => [d.status, d.last_error]),
        [["FAILED", "expired: no active webhook key within 7 days of the event"]],
      );
    });
  });
}

describe("webhook retry schedule", () => {
  it("waits min(2^n, 3600) s after n attempts, within ±20 %", () => {
    assert.equal(
      retryDelayMs(1, () => 0.5),
      2000,
    );
    assert.equal(
      retryDelayMs(1, () => 0),
      1600,
    );
    assert.ok(retryDelayMs(1, () => 0.999_999) <= 2400);
    assert.equal(
      retryDelayMs(11, () => 0.5),
      2_048_000,
    );
    assert.equal(
      retryDelayMs(12, () => 0.5),
      3_600_000,
    );
    assert.equal(
      retryDelayMs(95, () => 0),
      2_880_000,
    );
    assert.deepEqual(
      afterFailedAttempt(0, 0, () => 0.5),
      { status: "PENDING", nextAttemptAt: new Date(2000).toISOString() },
    );
    assert.deepEqual(
      afterFailedAttempt(94, 0, () => 0.5),
      {
        status: "PENDING",
        nextAttemptAt: new Date(3_600_000).toISOString(),
      },
    );
    assert.deepEqual(
      afterFailedAttempt(95, 0, () => 0.5),
      { status: "FAILED" },
    );
  });
});
