/**
 * Master key rotation: every sealed secret (store's SEALED_COLUMNS) and the key check are opened
 * with the old key and sealed under the new one, all in one transaction. A secret that does not
 * open aborts the whole rotation, so the database never holds secrets under two keys.
 */
import { sealKeyCheck } from "../auth/master-key-check.js";
import type { SecretBox } from "../auth/secret-box.js";
import type { Store } from "../store/store.js";
import { OperatorError } from "./operator.js";

export async function resealUnderNewKey(
  store: Store,
  keys: { old: SecretBox; new: SecretBox },
  now: string,
): Promise<{ resealed: number }> {
  return store.transaction(async (tx) => {
    // First, so that on PostgreSQL the key check's row stays locked until the commit.
    await tx.replaceMasterKeyCheck(sealKeyCheck(keys.new), now);
    const secrets = await tx.listSealedSecrets();
    for (const secret of secrets) {
      let plaintext: Buffer;
      try {
        plaintext = keys.old.open(secret.sealed, secret.boundTo);
      } catch {
        throw new OperatorError(
          `the ${secret.column} of ${secret.boundTo} does not open with the configured master key; nothing was changed`,
        );
      }
      if (!(await tx.replaceSealedSecret(secret, keys.new.seal(plaintext, secret.boundTo)))) {
        throw new OperatorError(
          `the ${secret.column} of ${secret.boundTo} changed during the rotation; nothing was changed, run it again`,
        );
      }
    }
    return { resealed: secrets.length };
  });
}
