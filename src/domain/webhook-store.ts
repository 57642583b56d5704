/**
 * The store calls of the webhook methods (webhooks.md "Keys", "Endpoints"): an account's keys and
 * endpoints, written once for both dialects in store/shared/webhook-queries.ts.
 */
import type { VisibilityScope } from "./visibility.js";

export type WebhookKeyStatus = "INACTIVE" | "ACTIVE" | "DELETED";

export interface WebhookKey {
  account_id: string;
  key_id: string;
  /** The 32-byte shared secret sealed under the master key, bound to "<account_id>/<key_id>". */
  secret_sealed: string;
  status: WebhookKeyStatus;
  created_at: string;
  activated_at: string | null;
  deleted_at: string | null;
}

export interface WebhookConfig {
  id: string;
  account_id: string;
  url: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface WebhookReads {
  /**
   * The keys with this ID in the accounts `scope` may see (key IDs repeat across accounts), in one
   * query by key ID and visibility; `accountId` narrows it to that account.
   */
  findVisibleWebhookKeys(keyId: string, scope: VisibilityScope, accountId?: string): Promise<WebhookKey[]>;
  /** The highest key ID of the account that starts with `prefix` (one UTC day's keys). */
  lastWebhookKeyId(accountId: string, prefix: string): Promise<string | undefined>;
  /** The account's active (not deleted) endpoints, oldest first, ties by ID. */
  listActiveWebhookConfigs(accountId: string): Promise<WebhookConfig[]>;
}

export interface WebhookWrites {
  /**
   * Locks the account's row for the rest of the transaction (PostgreSQL `FOR UPDATE`; SQLite's
   * writer runs one unit at a time already): the limits and the single ACTIVE key it guards hold.
   * Answers whether the account exists.
   */
  lockAccount(id: string): Promise<boolean>;
  /**
   * Inserts the key unless the account holds one with its ID already (the primary key; a
   * simultaneous insert of the same ID is waited for, never an error). Returns whether it did.
   */
  insertWebhookKeyIfFree(key: WebhookKey): Promise<boolean>;
  /** Moves the account's ACTIVE key, if any, to DELETED. */
  deleteActiveWebhookKey(accountId: string, at: string): Promise<void>;
  /** INACTIVE → ACTIVE (compare-and-set); the single-ACTIVE rule index backs it. */
  activateWebhookKey(accountId: string, keyId: string, at: string): Promise<boolean>;
  /** Throws URL_ALREADY_EXISTS when the account has an active endpoint with this URL (rule index). */
  insertWebhookConfig(config: WebhookConfig): Promise<void>;
  /** Replaces the URL of an active endpoint; the rule index as on insert. Returns whether it did. */
  updateWebhookConfigUrl(accountId: string, id: string, url: string, at: string): Promise<boolean>;
  /** Soft-deletes an active endpoint; false when it was not active (any more). */
  deleteWebhookConfig(accountId: string, id: string, at: string): Promise<boolean>;
}

/**
 * Inside a transaction that seals a secret (store.ts `holdMasterKeyCheck`): the key check is
 * still sealed under this key, held until the commit, so no secret is sealed under a master key
 * a rotation has just retired.
 */
export interface MasterKeyHold {
  holdMasterKeyCheck(keyId: string): Promise<boolean>;
}
