import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Webhooks (webhooks.md): the accounts' keys and endpoints, and the transactional outbox that
 * delivers every event to every endpoint.
 *
 * - `webhook_keys`: a key ID is `whk_YYYYMMDD_NN`, numbered per account per day, so two accounts
 *   may hold the same key ID: the key is (account_id, key_id). The shared secret is sealed under
 *   the master key, bound to "<account_id>/<key_id>" (sealed-secrets.ts rotates it). At most one
 *   ACTIVE key per account is a unique index, so two activations cannot both win.
 * - `webhook_configs`: endpoints, soft-deleted; an active URL is unique per account (rule index).
 * - `webhook_deliveries`: one row per (event, endpoint active at the time of the event), written
 *   in the event's transaction. Workers claim due rows with a lease; `attempt_count` counts the
 *   attempts claimed so far, so the next attempt's `retry_count` is that number.
 * - `webhook_delivery_attempts`: one row per attempt, keyed by its number: a second claim of the
 *   same attempt cannot be recorded, so no attempt is sent twice.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable("webhook_keys")
    .addColumn("account_id", key, (c) => c.notNull().references("accounts.id"))
    .addColumn("key_id", key, (c) => c.notNull())
    .addColumn("secret_sealed", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("activated_at", key)
    .addColumn("deleted_at", key)
    .addPrimaryKeyConstraint("webhook_keys_pk", ["account_id", "key_id"])
    .execute();
  // Looked up by key ID alone (webhook.key.activate/get name no account).
  await db.schema.createIndex("webhook_keys_by_key_id").on("webhook_keys").column("key_id").execute();
  await db.schema
    .createIndex("webhook_keys_one_active")
    .unique()
    .on("webhook_keys")
    .column("account_id")
    .where(sql.raw<boolean>("status = 'ACTIVE'"))
    .execute();

  await db.schema
    .createTable("webhook_configs")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("account_id", key, (c) => c.notNull().references("accounts.id"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .addColumn("deleted_at", key)
    .execute();
  await db.schema
    .createIndex("webhook_configs_unique_url")
    .unique()
    .on("webhook_configs")
    .columns(["account_id", "url"])
    .where(sql.raw<boolean>("deleted_at is null"))
    .execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("event_id", key, (c) => c.notNull().references("events.id"))
    .addColumn("config_id", key, (c) => c.notNull().references("webhook_configs.id"))
    .addColumn("account_id", key, (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempt_count", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", key, (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", key)
    .addColumn("last_error", "text")
    .addColumn("created_at", key, (c) => c.notNull())
    .addColumn("updated_at", key, (c) => c.notNull())
    .addPrimaryKeyConstraint("webhook_deliveries_pk", ["event_id", "config_id"])
    .execute();
  // What the workers scan: due pending rows only, so finished deliveries cost the claim nothing.
  await db.schema
    .createIndex("webhook_deliveries_due")
    .on("webhook_deliveries")
    .column("next_attempt_at")
    .where(sql.raw<boolean>("status = 'PENDING'"))
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_by_account")
    .on("webhook_deliveries")
    .columns(["account_id", "created_at"])
    .execute();

  await db.schema
    .createTable("webhook_delivery_attempts")
    .addColumn("event_id", key, (c) => c.notNull())
    .addColumn("config_id", key, (c) => c.notNull())
    .addColumn("attempt_number", "integer", (c) => c.notNull())
    .addColumn("key_id", key, (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("started_at", key, (c) => c.notNull())
    .addColumn("finished_at", key)
    .addColumn("http_status", "integer")
    .addColumn("latency_ms", "integer")
    .addColumn("error", "text")
    .addPrimaryKeyConstraint("webhook_delivery_attempts_pk", ["event_id", "config_id", "attempt_number"])
    .addForeignKeyConstraint(
      "webhook_delivery_attempts_delivery_fk",
      ["event_id", "config_id"],
      "webhook_deliveries",
      ["event_id", "config_id"],
    )
    .execute();
}
