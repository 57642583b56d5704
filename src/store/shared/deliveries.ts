/**
 * The webhook outbox's claim and finish (webhooks.md "Delivery", docs/webhooks.md "Delivery"),
 * written once for both dialects. A claim takes due deliveries under a lease, counts the attempt
 * and records it, in one transaction; the attempt's primary key (event, endpoint, number) makes
 * recording — and so sending — one attempt twice impossible. A finish is guarded by the lease's
 * owner and the attempt count, so the late finish of a lapsed lease changes nothing.
 *
 * PostgreSQL: several processes claim at once, so the due rows are locked `FOR UPDATE SKIP
 * LOCKED`. SQLite: every write runs on the one writer connection inside a transaction that holds
 * the write lock (BEGIN IMMEDIATE), so select-then-update cannot interleave with another claim.
 */
import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import type {
  ClaimedDelivery,
  DeliveryClaim,
  DeliveryFinish,
  Dialect,
  StoreDeliveryReads,
  StoreDeliveryWrites,
} from "../store.js";
import { eventFromRow } from "./rows.js";
import type { Database } from "./schema.js";

/** The due, claimable deliveries of accounts with an ACTIVE key, on live endpoints. */
function dueDeliveries(db: Kysely<Database>, now: string) {
  return db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_configs as c", "c.id", "d.config_id")
    .innerJoin("webhook_keys as k", (join) =>
      join.onRef("k.account_id", "=", "d.account_id").on("k.status", "=", "ACTIVE"),
    )
    .where("d.status", "=", "PENDING")
    .where("d.next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("d.lease_until", "is", null), eb("d.lease_until", "<", now)]))
    .where("c.deleted_at", "is", null);
}

export function createDeliveryReads(db: Kysely<Database>): StoreDeliveryReads {
  return {
    async deliveryDue(now) {
      const row = await dueDeliveries(db, now).select("d.event_id").limit(1).executeTakeFirst();
      return row !== undefined;
    },
    async oldestPendingDelivery() {
      const row = await db
        .selectFrom("webhook_deliveries")
        .select((eb) => eb.fn.min("created_at").as("oldest"))
        .where("status", "=", "PENDING")
        .executeTakeFirst();
      return row?.oldest ?? undefined;
    },
  };
}

export function createDeliveryWrites(db: Kysely<Database>, dialect: Dialect): StoreDeliveryWrites {
  /** On PostgreSQL a stand-alone call opens its own transaction; on SQLite it always runs in one. */
  const inTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    dialect === "sqlite" || db.isTransaction ? work(db) : db.transaction().execute(work);

  return {
    claimDeliveries: (claim) => inTransaction((trx) => claimOn(trx, dialect, claim)),
    finishDelivery: (finish) => inTransaction((trx) => finishOn(trx, finish)),
    async settleUndeliverable(now, expiredBefore) {
      const leaseFree = (eb: ExpressionBuilder<Database, "webhook_deliveries">) =>
        eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]);
      const cleared = { lease_owner: null, lease_until: null, updated_at: now };
      const deleted = await db
        .updateTable("webhook_deliveries")
        .set({ ...cleared, status: "FAILED", last_error: "endpoint deleted" })
        .where("status", "=", "PENDING")
        .where(leaseFree)
        .where("config_id", "in", (eb) =>
          eb.selectFrom("webhook_configs").select("id").where("deleted_at", "is not", null),
        )
        .executeTakeFirst();
      const expired = await db
        .updateTable("webhook_deliveries")
        .set({
          ...cleared,
          status: "FAILED",
          last_error: sql<string>`case when attempt_count = 0
            then 'expired: no active webhook key within 7 days of the event'
            else 'expired: not delivered within 7 days of the event' end`,
        })
        .where("status", "=", "PENDING")
        .where(leaseFree)
        .where("created_at", "<", expiredBefore)
        .executeTakeFirst();
      return Number(deleted.numUpdatedRows) + Number(expired.numUpdatedRows);
    },
  };
}

async function claimOn(
  trx: Kysely<Database>,
  dialect: Dialect,
  claim: DeliveryClaim,
): Promise<ClaimedDelivery[]> {
  let due = dueDeliveries(trx, claim.now)
    .innerJoin("events as e", "e.id", "d.event_id")
    .innerJoin("accounts as a", "a.id", "d.account_id")
    .selectAll("e")
    .select(["d.config_id", "d.attempt_count", "c.url", "k.key_id", "k.secret_sealed", "a.environment"])
    .orderBy("d.next_attempt_at")
    .limit(claim.limit);
  if (dialect === "postgres") due = due.forUpdate("d").skipLocked();
  const rows = await due.execute();
  const claimed: ClaimedDelivery[] = [];
  for (const row of rows) {
    const { config_id, attempt_count, url, key_id, secret_sealed, environment, ...event } = row;
    const taken = await trx
      .updateTable("webhook_deliveries")
      .set({
        attempt_count: attempt_count + 1,
        lease_owner: claim.owner,
        lease_until: claim.leaseUntil,
        updated_at: claim.now,
      })
      .where("event_id", "=", event.id)
      .where("config_id", "=", config_id)
      .where("status", "=", "PENDING")
      .where("attempt_count", "=", attempt_count)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) continue;
    await trx
      .insertInto("webhook_delivery_attempts")
      .values({
        event_id: event.id,
        config_id,
        attempt_number: attempt_count,
        key_id,
        url,
        started_at: claim.now,
        finished_at: null,
        http_status: null,
        latency_ms: null,
        error: null,
      })
      .execute();
    claimed.push({
      event: eventFromRow(event),
      configId: config_id,
      url,
      keyId: key_id,
      secretSealed: secret_sealed,
      live: environment === "live",
      attemptNumber: attempt_count,
      owner: claim.owner,
    });
  }
  return claimed;
}

async function finishOn(trx: Kysely<Database>, finish: DeliveryFinish): Promise<boolean> {
  const { next } = finish;
  const updated = await trx
    .updateTable("webhook_deliveries")
    .set({
      status: next.status,
      ...(next.status === "PENDING" ? { next_attempt_at: next.nextAttemptAt } : {}),
      lease_owner: null,
      lease_until: null,
      last_error: next.status === "SUCCEEDED" ? null : finish.error,
      updated_at: finish.finishedAt,
    })
    .where("event_id", "=", finish.eventId)
    .where("config_id", "=", finish.configId)
    .where("status", "=", "PENDING")
    .where("lease_owner", "=", finish.owner)
    .where("attempt_count", "=", finish.attemptNumber + 1)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  await trx
    .updateTable("webhook_delivery_attempts")
    .set({
      finished_at: finish.finishedAt,
      http_status: finish.httpStatus,
      latency_ms: finish.latencyMs,
      error: finish.error,
    })
    .where("event_id", "=", finish.eventId)
    .where("config_id", "=", finish.configId)
    .where("attempt_number", "=", finish.attemptNumber)
    .execute();
  return true;
}
