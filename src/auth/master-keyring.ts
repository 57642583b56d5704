/**
 * What every serving process and admin command does with the master key at start: read it (or
 * generate it, only for a database that holds no sealed secret yet), check it against the
 * database, and refuse with one line when it does not match. See auth/master-key-check.ts.
 */

import { type Config, ConfigError } from "../config.js";
import type { Store } from "../store/store.js";
import {
  createMasterKeyFile,
  masterKeySetting,
  readMasterKey,
  readPreviousMasterKeys,
} from "./master-key.js";
import { opensKeyCheck, opensSecret, sealKeyCheck } from "./master-key-check.js";
import { createSecretBox, type SecretBox } from "./secret-box.js";

type KeyConfig = Pick<Config, "masterKey" | "masterKeyFile" | "previousMasterKey" | "previousMasterKeyFile">;

export async function openMasterKeyring(config: KeyConfig, store: Store): Promise<SecretBox> {
  const mismatch = () =>
    new ConfigError(masterKeySetting(config), "the master key does not match this database");
  const check = await store.getMasterKeyCheck();
  const sample = check === undefined ? await store.firstSealedSecret() : undefined;
  let key = readMasterKey(config);
  if (!key) {
    if (check !== undefined || sample !== undefined) {
      throw new ConfigError(
        "--master-key-file",
        `${config.masterKeyFile} is missing, and this database holds secrets sealed under a master key; restore that file or set VETTED_MASTER_KEY`,
      );
    }
    key = createMasterKeyFile(config.masterKeyFile);
  }
  const box = createSecretBox(key, readPreviousMasterKeys(config));
  if (check !== undefined) {
    if (!opensKeyCheck(box, check)) throw mismatch();
    return box;
  }
  if (sample !== undefined) {
    if (!opensSecret(box, sample)) throw mismatch();
    // An install from before the key check. Its secrets are still under the previous key when
    // only that one opens them; the rotation under way then writes the check.
    if (!opensSecret(createSecretBox(key), sample)) return box;
  }
  const stored = await store.transaction((tx) =>
    tx.putMasterKeyCheck(sealKeyCheck(box), new Date().toISOString()),
  );
  // Another process, with another key, may have recorded its check first.
  if (!opensKeyCheck(box, stored)) throw mismatch();
  return box;
}
