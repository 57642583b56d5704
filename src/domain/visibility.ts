import type { CredentialRecord } from "./records.js";

/**
 * A credential acts on the accounts of its organization in its environment — all of them, or the
 * list fixed when it was issued. Anything else is reported exactly like something that does not
 * exist, and costs the same to look up: the store matches organization and environment in the
 * lookup's own query (store.ts `getVisible…`, and workflow.create's statement on PostgreSQL), and
 * checks the list on the row it found.
 */
export type VisibilityScope = Pick<CredentialRecord, "organization_id" | "environment" | "account_ids">;

/** The credential's account list, if it has one, admits this account. */
export function isListedAccount(scope: VisibilityScope, accountId: string): boolean {
  return scope.account_ids === null || scope.account_ids.includes(accountId);
}

/** Just the scope of a credential: what a unit of work carries, never its secrets. */
export function scopeOf(credential: VisibilityScope): VisibilityScope {
  return {
    organization_id: credential.organization_id,
    environment: credential.environment,
    account_ids: credential.account_ids,
  };
}
