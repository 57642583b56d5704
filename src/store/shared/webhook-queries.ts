/**
 * The store calls of the webhook methods (domain/webhook-store.ts), written once with Kysely for
 * both dialects. A key is visible through its account, in one query, as the core lookups are.
 */
import type { Kysely } from "kysely";
import { isListedAccount } from "../../domain/visibility.js";
import type { WebhookReads, WebhookWrites } from "../../domain/webhook-store.js";
import type { Dialect } from "../store.js";
import type { Translate } from "./data-queries.js";
import type { Database } from "./schema.js";

export function createWebhookReads(db: Kysely<Database>): WebhookReads {
  return {
    async findVisibleWebhookKeys(keyId, scope, accountId) {
      let query = db
        .selectFrom("webhook_keys")
        .innerJoin("accounts", "accounts.id", "webhook_keys.account_id")
        .selectAll("webhook_keys")
        .where("webhook_keys.key_id", "=", keyId)
        .where("accounts.organization_id", "=", scope.organization_id)
        .where("accounts.environment", "=", scope.environment)
        .orderBy("webhook_keys.account_id");
      if (accountId !== undefined) query = query.where("webhook_keys.account_id", "=", accountId);
      const rows = await query.execute();
      return rows.filter((row) => isListedAccount(scope, row.account_id));
    },
    async lastWebhookKeyId(accountId, prefix) {
      const row = await db
        .selectFrom("webhook_keys")
        .select("key_id")
        .where("account_id", "=", accountId)
        .where("key_id", ">=", prefix)
        .where("key_id", "<", `${prefix}~`)
        .orderBy("key_id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row?.key_id;
    },
    async listActiveWebhookConfigs(accountId) {
      return db
        .selectFrom("webhook_configs")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("deleted_at", "is", null)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    },
  };
}

export function createWebhookWrites(
  db: Kysely<Database>,
  dialect: Dialect,
  translated: Translate,
): WebhookWrites {
  return {
    async lockAccount(id) {
      const query = db.selectFrom("accounts").select("id").where("id", "=", id);
      // SQLite has no row locks; its writer runs one unit of work at a time (unit-of-work.ts).
      return (await (dialect === "postgres" ? query.forUpdate() : query).executeTakeFirst()) !== undefined;
    },
    async insertWebhookKeyIfFree(key) {
      const result = await db
        .insertInto("webhook_keys")
        .values(key)
        .onConflict((oc) => oc.columns(["account_id", "key_id"]).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async deleteActiveWebhookKey(accountId, at) {
      await db
        .updateTable("webhook_keys")
        .set({ status: "DELETED", deleted_at: at })
        .where("account_id", "=", accountId)
        .where("status", "=", "ACTIVE")
        .execute();
    },
    async activateWebhookKey(accountId, keyId, at) {
      const result = await translated(() =>
        db
          .updateTable("webhook_keys")
          .set({ status: "ACTIVE", activated_at: at })
          .where("account_id", "=", accountId)
          .where("key_id", "=", keyId)
          .where("status", "=", "INACTIVE")
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },
    async insertWebhookConfig(config) {
      await translated(() => db.insertInto("webhook_configs").values(config).execute());
    },
    async updateWebhookConfigUrl(accountId, id, url, at) {
      const result = await translated(() =>
        db
          .updateTable("webhook_configs")
          .set({ url, updated_at: at })
          .where("id", "=", id)
          .where("account_id", "=", accountId)
          .where("deleted_at", "is", null)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteWebhookConfig(accountId, id, at) {
      const result = await db
        .updateTable("webhook_configs")
        .set({ deleted_at: at, updated_at: at })
        .where("id", "=", id)
        .where("account_id", "=", accountId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
