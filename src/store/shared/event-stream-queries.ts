/**
 * The live event stream's reads (docs/webhooks.md "Event stream") and the operator's view of the
 * delivery outbox (`vetted admin deliveries`). Positions come from 008_event_stream.ts: on SQLite
 * one number, on PostgreSQL (transaction ID, number), read only below the snapshot's xmin.
 */
import { type Kysely, sql } from "kysely";
import type { EventRecord } from "../../domain/records.js";
import type { Dialect } from "../store.js";
import { EVENT_COLUMNS, eventFromRow } from "./rows.js";
import type { Database, WebhookDeliveriesTable } from "./schema.js";

/** Where an event stands in the stream. `txid` is "0" on SQLite, which needs only `seq`. */
export interface StreamPosition {
  txid: string;
  seq: number;
}

export interface StreamedEvent {
  event: EventRecord;
  position: StreamPosition;
}

export type DeliveryStatus = WebhookDeliveriesTable["status"];

/** One delivery as the operator sees it. */
export interface DeliveryView {
  event_id: string;
  config_id: string;
  account_id: string;
  event_type: string;
  url: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  /** When its endpoint was deleted, or null while it is active. */
  config_deleted_at: string | null;
}

export interface EventStreamReads {
  /** Where a stream opened now starts: every event committed from now on comes after it. */
  eventStreamHead(): Promise<StreamPosition>;
  /** The position of the account's event `eventId` if it was created at or after `since`. */
  eventStreamPositionOf(
    accountId: string,
    eventId: string,
    since: string,
  ): Promise<StreamPosition | undefined>;
  /**
   * Up to `limit` of the account's events after `after`, in stream order, and only those that no
   * event committing later can precede: a reader that goes on from the last one skips nothing.
   */
  eventStreamAfter(accountId: string, after: StreamPosition, limit: number): Promise<StreamedEvent[]>;
  /** The account's ACTIVE webhook key, its secret still sealed (bound to "<account_id>/<key_id>"). */
  activeWebhookKeyOf(accountId: string): Promise<{ key_id: string; secret_sealed: string } | undefined>;
  listDeliveries(filter: { accountId: string; status?: DeliveryStatus }): Promise<DeliveryView[]>;
  getDelivery(eventId: string, configId: string): Promise<DeliveryView | undefined>;
}

export interface EventStreamWrites {
  /**
   * A finished delivery (SUCCEEDED or FAILED) back to PENDING and due at `now`, its lease cleared;
   * its attempt count stays, so the next attempt's retry_count continues. False when there is no
   * such finished delivery.
   */
  resendDelivery(eventId: string, configId: string, now: string): Promise<boolean>;
}

type PositionRow = { txid: string | number; seq: string | number };

function positionOf(row: PositionRow): StreamPosition {
  return { txid: String(row.txid), seq: Number(row.seq) };
}

export function createEventStreamReads(db: Kysely<Database>, dialect: Dialect): EventStreamReads {
  const postgres = dialect === "postgres";
  // The position columns are not in the typed schema: only these queries read them.
  const txid = postgres ? sql<string>`stream_txid::text` : sql<string>`'0'`;
  const seq = sql<number>`stream_seq`;

  function deliveries() {
    return db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("events as e", "e.id", "d.event_id")
      .innerJoin("webhook_configs as c", "c.id", "d.config_id")
      .select([
        "d.event_id",
        "d.config_id",
        "d.account_id",
        "e.event_type",
        "c.url",
        "d.status",
        "d.attempt_count",
        "d.next_attempt_at",
        "d.last_error",
        "d.created_at",
        "c.deleted_at as config_deleted_at",
      ]);
  }

  return {
    async eventStreamHead() {
      if (postgres) {
        // Every transaction below xmin has ended; one at or above it may still commit.
        const { rows } = await sql<{
          txid: string;
        }>`select pg_snapshot_xmin(pg_current_snapshot())::text as txid`.execute(db);
        return { txid: rows[0]?.txid ?? "0", seq: 0 };
      }
      const row = await db
        .selectFrom("events")
        .select(sql<number | null>`max(stream_seq)`.as("seq"))
        .executeTakeFirst();
      return { txid: "0", seq: Number(row?.seq ?? 0) };
    },

    async eventStreamPositionOf(accountId, eventId, since) {
      const row = await db
        .selectFrom("events")
        .select([txid.as("txid"), seq.as("seq")])
        .where("id", "=", eventId)
        .where("account_id", "=", accountId)
        .where("created_at", ">=", since)
        .executeTakeFirst();
      return row && positionOf(row);
    },

    async eventStreamAfter(accountId, after, limit) {
      let query = db
        .selectFrom("events")
        .select([...EVENT_COLUMNS, txid.as("txid"), seq.as("seq")])
        .where("account_id", "=", accountId);
      if (postgres) {
        query = query
          .where(sql<boolean>`(stream_txid, stream_seq) > (${after.txid}::xid8, ${after.seq})`)
          .where(sql<boolean>`stream_txid < pg_snapshot_xmin(pg_current_snapshot())`)
          .orderBy(sql`stream_txid`)
          .orderBy(sql`stream_seq`);
      } else {
        query = query.where(sql<boolean>`stream_seq > ${after.seq}`).orderBy(sql`stream_seq`);
      }
      const rows = await query.limit(limit).execute();
      return rows.map(({ txid, seq, ...event }) => ({
        event: eventFromRow(event),
        position: positionOf({ txid, seq }),
      }));
    },

    async activeWebhookKeyOf(accountId) {
      return db
        .selectFrom("webhook_keys")
        .select(["key_id", "secret_sealed"])
        .where("account_id", "=", accountId)
        .where("status", "=", "ACTIVE")
        .executeTakeFirst();
    },

    async listDeliveries({ accountId, status }) {
      let query = deliveries()
        .where("d.account_id", "=", accountId)
        .orderBy("d.created_at")
        .orderBy("d.event_id")
        .orderBy("d.config_id");
      if (status !== undefined) query = query.where("d.status", "=", status);
      return query.execute();
    },

    async getDelivery(eventId, configId) {
      return deliveries()
        .where("d.event_id", "=", eventId)
        .where("d.config_id", "=", configId)
        .executeTakeFirst();
    },
  };
}

export function createEventStreamWrites(db: Kysely<Database>): EventStreamWrites {
  return {
    async resendDelivery(eventId, configId, now) {
      const result = await db
        .updateTable("webhook_deliveries")
        .set({
          status: "PENDING",
          next_attempt_at: now,
          lease_owner: null,
          lease_until: null,
          updated_at: now,
        })
        .where("event_id", "=", eventId)
        .where("config_id", "=", configId)
        .where("status", "in", ["SUCCEEDED", "FAILED"])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
