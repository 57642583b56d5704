/**
 * webhook.key.create and webhook.key.activate as write procedures (webhooks.md "Keys"), and the
 * lookup of a key by its ID, which repeats across accounts.
 */
import { ApiError, badRequest, notFound, ruleViolation } from "../errors.js";
import type { DomainReads, DomainStore } from "./domain-store.js";
import { visibleAccount } from "./lookups.js";
import type { VisibilityScope } from "./visibility.js";
import type { WebhookKey } from "./webhook-store.js";

/** Keys are numbered 01…99 per account per UTC day. */
export const MAX_DAILY_WEBHOOK_KEYS = 99;

/** "whk_YYYYMMDD_": the prefix of the keys of `now`'s UTC day. */
export function webhookKeyPrefix(now: string): string {
  return `whk_${now.slice(0, 10).replaceAll("-", "")}_`;
}

export function webhookKeyId(now: string, number: number): string {
  return `${webhookKeyPrefix(now)}${String(number).padStart(2, "0")}`;
}

/** What a key's shared secret is sealed to: a key ID alone repeats across accounts. */
export function webhookSecretBinding(accountId: string, keyId: string): string {
  return `${accountId}/${keyId}`;
}

export function maxDailyKeyLimit(): ApiError {
  return ruleViolation(
    "Webhook Key",
    "MAX_DAILY_KEY_LIMIT",
    `The account has created ${MAX_DAILY_WEBHOOK_KEYS} webhook keys today (UTC); the next one can be created tomorrow`,
  );
}

export function keyDeleted(): ApiError {
  return ruleViolation(
    "Webhook Key",
    "KEY_DELETED",
    "The webhook key is DELETED and cannot be activated again",
  );
}

/**
 * The single-ACTIVE rule index refused an activation. Activations lock the account first, so this
 * is a backstop that should never fire: the request lost to another one and may be retried.
 */
export function activationRaced(): ApiError {
  return new ApiError("SERVICE_UNAVAILABLE", {
    message: "Another activation of this account's webhook keys ran at the same time; retry",
    retryAfter: 1,
  });
}

/** A secret must not be sealed under a master key a rotation has retired (store.ts). */
export async function holdMasterKey(tx: DomainStore, masterKeyId: string): Promise<void> {
  if (!(await tx.holdMasterKeyCheck(masterKeyId)))
    throw new ApiError("SERVICE_UNAVAILABLE", {
      message: "The master key was rotated; this server must be restarted with the new key",
      retryAfter: 1,
    });
}

/**
 * The key with this ID among the accounts the caller sees, narrowed to `accountId` when given;
 * ENTITY_NOT_FOUND on key_id, or BAD_REQUEST on account_id when several accounts hold the ID.
 */
export async function visibleWebhookKey(
  reads: Pick<DomainReads, "getVisibleAccount" | "findVisibleWebhookKeys">,
  scope: VisibilityScope,
  keyId: string,
  accountId: string | undefined,
): Promise<WebhookKey> {
  if (accountId !== undefined) await visibleAccount(reads, scope, accountId, "account_id");
  const keys = await reads.findVisibleWebhookKeys(keyId, scope, accountId);
  const [key] = keys;
  if (!key) throw notFound("Webhook Key", "key_id");
  if (keys.length > 1)
    throw badRequest(
      `${keys.length} of the accounts this credential sees hold a key ${keyId}; send account_id to name one`,
      "account_id",
    );
  return key;
}

export interface CreateWebhookKeyInput {
  scope: VisibilityScope;
  accountId: string;
  now: string;
  /** The master key that sealed the candidates (SecretBox `keyId`). */
  masterKeyId: string;
  /**
   * The secret sealed once per number the key may get (index 0 for _01): the number is taken in
   * the transaction, and the seal is bound to the key ID, but only the handler holds the master key.
   */
  sealedByNumber: string[];
}

/**
 * The next free number of the day: a number a simultaneous create took meanwhile is skipped (the
 * primary key), so none is given twice and none above 99.
 */
export async function createWebhookKey(tx: DomainStore, input: CreateWebhookKeyInput): Promise<WebhookKey> {
  await visibleAccount(tx, input.scope, input.accountId, "account_id");
  await holdMasterKey(tx, input.masterKeyId);
  const last = await tx.lastWebhookKeyId(input.accountId, webhookKeyPrefix(input.now));
  const first = last === undefined ? 1 : Number(last.slice(-2)) + 1;
  for (let number = first; number <= MAX_DAILY_WEBHOOK_KEYS; number++) {
    const sealed = input.sealedByNumber[number - 1];
    if (sealed === undefined) break;
    const key: WebhookKey = {
      account_id: input.accountId,
      key_id: webhookKeyId(input.now, number),
      secret_sealed: sealed,
      status: "INACTIVE",
      created_at: input.now,
      activated_at: null,
      deleted_at: null,
    };
    if (await tx.insertWebhookKeyIfFree(key)) return key;
  }
  throw maxDailyKeyLimit();
}

/**
 * Makes the key the account's single ACTIVE one and the previous ACTIVE key DELETED, under the
 * account's lock, so simultaneous activations run one after the other; the rule index backs it.
 */
export async function activateWebhookKey(
  tx: DomainStore,
  input: { scope: VisibilityScope; keyId: string; accountId?: string; now: string },
): Promise<{ key_id: string; activated_at: string }> {
  const found = await visibleWebhookKey(tx, input.scope, input.keyId, input.accountId);
  await tx.lockAccount(found.account_id);
  // Read again under the lock: an activation that ran meanwhile may have moved it.
  const key = await visibleWebhookKey(tx, input.scope, input.keyId, found.account_id);
  if (key.status === "DELETED") throw keyDeleted();
  if (key.status === "ACTIVE") return { key_id: key.key_id, activated_at: key.activated_at ?? input.now };
  await tx.deleteActiveWebhookKey(key.account_id, input.now);
  if (!(await tx.activateWebhookKey(key.account_id, key.key_id, input.now))) throw activationRaced();
  return { key_id: key.key_id, activated_at: input.now };
}
