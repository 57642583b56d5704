/**
 * The data directory and the SQLite files hold applicant data, token hashes and the master key:
 * they are the owner's alone. Vetted creates them 0700 and 0600 whatever the umask, and refuses
 * to start, with one line saying why, when they are open to anyone else.
 */
import fs from "node:fs";
import path from "node:path";
import { type Config, ConfigError } from "./config.js";

const OPEN_TO_OTHERS = 0o077;

/** Throws when the file or directory exists and its group or other users have any access. */
export function assertOwnerOnly(file: string, setting: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return;
    throw error;
  }
  if ((stat.mode & OPEN_TO_OTHERS) === 0) return;
  const mode = (stat.mode & 0o777).toString(8).padStart(4, "0");
  const wanted = stat.isDirectory() ? "700" : "600";
  throw new ConfigError(
    setting,
    `${file} is open to other users (mode ${mode}); run chmod ${wanted} ${file}`,
  );
}

/**
 * Creates the directory (and any missing parents) owner-only. An existing one is left as it is.
 * Walks the parents itself: Node 20's recursive mkdirSync never returns for a path under /proc
 * (`--database sqlite:/proc/x/v.db` spun a core forever); one mkdir per level fails at once.
 */
export function makePrivateDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level, { mode: 0o700 });
    } catch (error) {
      // Another process made it meanwhile.
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
}

/** Refuses a data directory open to other users; one that does not exist yet is created 0700 by its first writer. */
export function assertPrivateDataDir(config: Pick<Config, "dataDir">): void {
  assertOwnerOnly(config.dataDir, "--data-dir");
}
