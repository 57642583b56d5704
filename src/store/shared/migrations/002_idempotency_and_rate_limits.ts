import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/** Idempotency records (per credential and key, 24 h) and shared token buckets for rate limits. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("api_key", key, (c) => c.notNull())
    .addColumn("idempotency_key", key, (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("body_hash", "text", (c) => c.notNull())
    // "in_flight" while the first request runs, then "done" with the response it got.
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("response_status", "integer")
    .addColumn("response_body", "text")
    .addColumn("created_at", key, (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["api_key", "idempotency_key"])
    .execute();
  await db.schema
    .createIndex("idempotency_keys_by_time")
    .on("idempotency_keys")
    .column("created_at")
    .execute();

  await db.schema
    .createTable("rate_buckets")
    .addColumn("api_key", key, (c) => c.primaryKey())
    .addColumn("tokens", "double precision", (c) => c.notNull())
    .addColumn("refilled_ms", "double precision", (c) => c.notNull())
    .addColumn("allowed", "integer", (c) => c.notNull())
    .execute();
}
