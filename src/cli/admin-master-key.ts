/**
 * `vetted admin master-key rotate`: re-seals every secret under a new master key in one
 * transaction, then, when the key came from a key file, puts the new key in that file (the old
 * one kept beside it as <file>.previous). The new key is read from a file, stdin ("-") or
 * VETTED_NEW_MASTER_KEY, never from the command line, where other users could read it.
 */
import fs from "node:fs";
import type { Command } from "commander";
import { resealUnderNewKey } from "../admin/rotate-master-key.js";
import { readKeyFile, readMasterKey } from "../auth/master-key.js";
import { openMasterKeyring } from "../auth/master-keyring.js";
import { createSecretBox } from "../auth/secret-box.js";
import { ConfigError, type ConfigFlags, isBase64Of32Bytes, parseConfig } from "../config.js";
import { assertPrivateDataDir } from "../private-files.js";
import { UsageError } from "./usage-error.js";

interface RotateFlags extends ConfigFlags {
  json?: boolean;
  newMasterKeyFile?: string;
}

function readNewKey(flags: RotateFlags, env: NodeJS.ProcessEnv): Buffer {
  if (flags.newMasterKeyFile === "-") {
    const text = fs.readFileSync(0, "utf8").trim();
    if (!isBase64Of32Bytes(text))
      throw new ConfigError("--new-master-key-file", "stdin must hold Base64 of exactly 32 bytes");
    return Buffer.from(text, "base64");
  }
  if (flags.newMasterKeyFile !== undefined) {
    if (!fs.existsSync(flags.newMasterKeyFile))
      throw new ConfigError("--new-master-key-file", `${flags.newMasterKeyFile} does not exist`);
    return readKeyFile(flags.newMasterKeyFile, "--new-master-key-file");
  }
  const fromEnv = env.VETTED_NEW_MASTER_KEY;
  if (fromEnv === undefined || fromEnv === "")
    throw new UsageError(
      "the new key is needed: --new-master-key-file <file> (or - for stdin), or VETTED_NEW_MASTER_KEY",
    );
  if (!isBase64Of32Bytes(fromEnv))
    throw new ConfigError("VETTED_NEW_MASTER_KEY", "must be the Base64 encoding of exactly 32 bytes");
  return Buffer.from(fromEnv, "base64");
}

/** Replaces the file's content in one step: a crash leaves the old key or the new, never half. */
function writeKeyFileAtomically(file: string, key: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w", 0o600);
  try {
    fs.writeSync(fd, `${key.toString("base64")}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

export function registerMasterKeyCommands(
  admin: Command,
  leaf: (parent: Command, name: string, description: string) => Command,
): void {
  const masterKey = admin.command("master-key").description("the master key that seals stored secrets");
  const rotate = leaf(masterKey, "rotate", "re-seal every stored secret under a new master key").option(
    "--new-master-key-file <file>",
    "the new key, Base64 of 32 bytes; - reads stdin (or VETTED_NEW_MASTER_KEY)",
  );
  rotate.action(async () => {
    const flags = rotate.optsWithGlobals() as RotateFlags;
    const config = parseConfig(flags, process.env);
    const newKey = readNewKey(flags, process.env);
    assertPrivateDataDir(config);
    const { openStore } = await import("../store/open.js");
    const store = openStore(config.database);
    let result: Record<string, unknown>;
    try {
      await store.migrate();
      // Refuses, like every command, when the configured key does not match the database.
      const old = await openMasterKeyring(config, store);
      const fresh = createSecretBox(newKey);
      const { resealed } = await resealUnderNewKey(store, { old, new: fresh }, new Date().toISOString());
      result = { key_id: fresh.keyId, resealed, master_key_file: null };
      const current = readMasterKey(config) as Buffer;
      if (config.masterKey === undefined && !current.equals(newKey)) {
        writeKeyFileAtomically(`${config.masterKeyFile}.previous`, current);
        writeKeyFileAtomically(config.masterKeyFile, newKey);
        result.master_key_file = config.masterKeyFile;
      }
    } finally {
      await store.close();
    }
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else for (const [k, v] of Object.entries(result)) process.stdout.write(`${k}: ${v ?? "-"}\n`);
  });
}
