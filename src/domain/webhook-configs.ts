/**
 * webhook.config.create, .update and .delete as write procedures (webhooks.md "Endpoints"). Each
 * locks the account first, so the limit of 20 and the unique URL hold against simultaneous
 * writes; the unique index backs the URL rule as well.
 */
import { type ApiError, notFound404, ruleViolation } from "../errors.js";
import type { DomainStore } from "./domain-store.js";
import { visibleAccount } from "./lookups.js";
import type { VisibilityScope } from "./visibility.js";
import type { WebhookConfig } from "./webhook-store.js";

export const MAX_ACTIVE_WEBHOOK_CONFIGS = 20;

export function urlAlreadyExists(): ApiError {
  return ruleViolation(
    "Webhook Config",
    "URL_ALREADY_EXISTS",
    "The account already has an endpoint with this URL",
  );
}

export function maxWebhookUrlLimit(): ApiError {
  return ruleViolation(
    "Webhook Config",
    "MAX_WEBHOOK_URL_LIMIT",
    `The account already has ${MAX_ACTIVE_WEBHOOK_CONFIGS} active endpoints; delete one first`,
  );
}

/** Unknown, another account's, or deleted: 404, as Kompliant answers update and delete. */
export function configNotFound(): ApiError {
  return notFound404("Webhook Config", "config_id");
}

interface AccountWrite {
  scope: VisibilityScope;
  accountId: string;
}

/** The visible account, locked for the rest of the transaction. */
async function lockedAccount(tx: DomainStore, input: AccountWrite): Promise<void> {
  await visibleAccount(tx, input.scope, input.accountId, "account_id");
  await tx.lockAccount(input.accountId);
}

export async function createWebhookConfig(
  tx: DomainStore,
  input: AccountWrite & { config: WebhookConfig },
): Promise<void> {
  await lockedAccount(tx, input);
  const active = await tx.listActiveWebhookConfigs(input.accountId);
  if (active.some((config) => config.url === input.config.url)) throw urlAlreadyExists();
  if (active.length >= MAX_ACTIVE_WEBHOOK_CONFIGS) throw maxWebhookUrlLimit();
  await tx.insertWebhookConfig(input.config);
}

/** The same URL it has is a success that changes nothing. */
export async function updateWebhookConfig(
  tx: DomainStore,
  input: AccountWrite & { configId: string; url: string; now: string },
): Promise<void> {
  await lockedAccount(tx, input);
  const active = await tx.listActiveWebhookConfigs(input.accountId);
  const config = active.find((candidate) => candidate.id === input.configId);
  if (!config) throw configNotFound();
  if (config.url === input.url) return;
  if (active.some((other) => other.url === input.url)) throw urlAlreadyExists();
  if (!(await tx.updateWebhookConfigUrl(input.accountId, input.configId, input.url, input.now)))
    throw configNotFound();
}

export async function deleteWebhookConfig(
  tx: DomainStore,
  input: AccountWrite & { configId: string; now: string },
): Promise<void> {
  await visibleAccount(tx, input.scope, input.accountId, "account_id");
  // Compare-and-set: of two simultaneous deletes, the second finds it deleted (404).
  if (!(await tx.deleteWebhookConfig(input.accountId, input.configId, input.now))) throw configNotFound();
}
