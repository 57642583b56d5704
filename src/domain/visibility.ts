import type { Account, CredentialRecord } from "./records.js";

/**
 * A credential acts on the accounts of its organization in its environment — all of them, or the
 * list fixed when it was issued. Anything else is reported exactly like something that does not exist.
 */
export function canSeeAccount(
  credential: Pick<CredentialRecord, "organization_id" | "environment" | "account_ids">,
  account: Account,
): boolean {
  return (
    account.organization_id === credential.organization_id &&
    account.environment === credential.environment &&
    (credential.account_ids === null || credential.account_ids.includes(account.id))
  );
}
