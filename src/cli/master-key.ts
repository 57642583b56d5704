/** Loads the master key that seals stored secrets: from VETTED_MASTER_KEY, or a 0600 key file made on first use. */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Config, ConfigError } from "../config.js";

export function loadMasterKey(config: Pick<Config, "masterKey" | "masterKeyFile">): Buffer {
  if (config.masterKey !== undefined) return Buffer.from(config.masterKey, "base64");
  const file = config.masterKeyFile;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    try {
      // "wx": two processes starting at once must not both write a different key.
      fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32)
    throw new ConfigError("--master-key-file", `${file} must hold Base64 of exactly 32 bytes`);
  return key;
}
