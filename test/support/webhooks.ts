/**
 * Webhook keys and endpoints through the API (webhooks.md), for the webhook.* method tests and
 * the delivery and stream tests: each returns the API's data, after checking it succeeded.
 */
import type { ResponseOf, VettedClient } from "@vetted/client";
import type { TestServer } from "./server.js";
import { queryRows } from "./sql.js";
import { expectOk } from "./workflows.js";

export const WEBHOOK_KEY_ID = /^whk_\d{8}_\d{2}$/;
export const WEBHOOK_CONFIG_ID = /^whc_[0-9A-Za-z]{21,22}$/;

export async function createWebhookKey(
  client: VettedClient,
  accountId: string,
): Promise<ResponseOf<"webhook.key.create">> {
  return expectOk(await client.call("webhook.key.create", { account_id: accountId }));
}

export async function activateWebhookKey(
  client: VettedClient,
  keyId: string,
  accountId?: string,
): Promise<ResponseOf<"webhook.key.activate">> {
  const body = accountId === undefined ? { key_id: keyId } : { key_id: keyId, account_id: accountId };
  return expectOk(await client.call("webhook.key.activate", body));
}

export async function getWebhookKey(
  client: VettedClient,
  keyId: string,
  accountId?: string,
): Promise<ResponseOf<"webhook.key.get">> {
  const body = accountId === undefined ? { key_id: keyId } : { key_id: keyId, account_id: accountId };
  return expectOk(await client.call("webhook.key.get", body));
}

export async function addWebhookEndpoint(
  client: VettedClient,
  accountId: string,
  url: string,
): Promise<ResponseOf<"webhook.config.create">> {
  return expectOk(await client.call("webhook.config.create", { account_id: accountId, config: { url } }));
}

export async function listWebhookEndpoints(
  client: VettedClient,
  accountId: string,
): Promise<ResponseOf<"webhook.config.list">["configs"]> {
  return expectOk(await client.call("webhook.config.list", { account_id: accountId })).configs;
}

/** The account's keys as stored, past the API. */
export async function webhookKeyRows(server: TestServer, accountId: string) {
  return queryRows<{ key_id: string; status: string; secret_sealed: string; deleted_at: string | null }>(
    server.database,
    "select key_id, status, secret_sealed, deleted_at from webhook_keys where account_id = $1 order by key_id",
    [accountId],
  );
}

/** The account's endpoints as stored (deleted ones too), past the API. */
export async function webhookConfigRows(server: TestServer, accountId: string) {
  return queryRows<{ id: string; url: string; deleted_at: string | null }>(
    server.database,
    "select id, url, deleted_at from webhook_configs where account_id = $1 order by created_at, id",
    [accountId],
  );
}

/** What a body error on the webhook methods looks like, as the catalog words it. */
export function ruleError(entity: "Webhook Key" | "Webhook Config", sub_code: string, message: string) {
  return { code: "SYSTEM_RULE_VIOLATION" as const, message, entity_type: entity, sub_code };
}

export const WEBHOOK_ERRORS = {
  maxDailyKeys: ruleError(
    "Webhook Key",
    "MAX_DAILY_KEY_LIMIT",
    "The account has created 99 webhook keys today (UTC); the next one can be created tomorrow",
  ),
  keyDeleted: ruleError(
    "Webhook Key",
    "KEY_DELETED",
    "The webhook key is DELETED and cannot be activated again",
  ),
  urlExists: ruleError(
    "Webhook Config",
    "URL_ALREADY_EXISTS",
    "The account already has an endpoint with this URL",
  ),
  maxUrls: ruleError(
    "Webhook Config",
    "MAX_WEBHOOK_URL_LIMIT",
    "The account already has 20 active endpoints; delete one first",
  ),
  configNotFound: {
    code: "ENTITY_NOT_FOUND" as const,
    message: "Webhook Config not found",
    field: "config_id",
  },
};
