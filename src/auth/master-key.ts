/**
 * Reads the master key that seals stored secrets: from VETTED_MASTER_KEY, or from a 0600 key file
 * that is generated only for a database holding no sealed secret yet (master-keyring.ts decides).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Config, ConfigError } from "../config.js";
import { makePrivateDir } from "../private-files.js";

export type MasterKeySource = Pick<Config, "masterKey" | "masterKeyFile">;

/** The setting an operator changes to fix a wrong key. */
export function masterKeySetting(config: MasterKeySource): string {
  return config.masterKey !== undefined ? "VETTED_MASTER_KEY" : "--master-key-file";
}

/** A key file's 32 bytes; the setting names the file in the error. */
export function readKeyFile(file: string, setting: string): Buffer {
  const text = fs.readFileSync(file, "utf8").trim();
  const key = Buffer.from(text, "base64");
  if (key.length !== 32 || key.toString("base64") !== text)
    throw new ConfigError(setting, `${file} must hold Base64 of exactly 32 bytes`);
  return key;
}

/** The configured key, or undefined when it is to come from a key file that does not exist. */
export function readMasterKey(config: MasterKeySource): Buffer | undefined {
  if (config.masterKey !== undefined) return Buffer.from(config.masterKey, "base64");
  if (!fs.existsSync(config.masterKeyFile)) return undefined;
  return readKeyFile(config.masterKeyFile, "--master-key-file");
}

/** Generates the key file; when another process created it first, reads theirs. */
export function createMasterKeyFile(file: string): Buffer {
  makePrivateDir(path.dirname(path.resolve(file)));
  try {
    // "wx": two processes starting at once must not both write a different key.
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
  return readKeyFile(file, "--master-key-file");
}

/** The key being rotated away from, when one is configured (opens secrets, never seals). */
export function readPreviousMasterKeys(
  config: Pick<Config, "previousMasterKey" | "previousMasterKeyFile">,
): Buffer[] {
  if (config.previousMasterKey !== undefined) return [Buffer.from(config.previousMasterKey, "base64")];
  if (config.previousMasterKeyFile === undefined) return [];
  if (!fs.existsSync(config.previousMasterKeyFile))
    throw new ConfigError("--previous-master-key-file", `${config.previousMasterKeyFile} does not exist`);
  return [readKeyFile(config.previousMasterKeyFile, "--previous-master-key-file")];
}
