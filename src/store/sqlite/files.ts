/**
 * The database file and the -wal and -shm files SQLite makes beside it: owner-only (see
 * private-files.ts). SQLite creates a new database file 0644 less the umask, but gives -wal and
 * -shm the database file's own permissions; so the database file is created here, empty and 0600,
 * before SQLite first opens it.
 */
import fs from "node:fs";
import path from "node:path";
import { assertOwnerOnly, makePrivateDir } from "../../private-files.js";

export const SQLITE_COMPANION_SUFFIXES = ["", "-wal", "-shm"] as const;

/** Call before the first connection opens `file`. Throws the one-line refusal when a file is open to others. */
export function prepareSqliteFiles(file: string): void {
  if (file === ":memory:") return;
  makePrivateDir(path.dirname(path.resolve(file)));
  try {
    // "wx": a database another process just created is left alone.
    fs.writeFileSync(file, "", { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
  for (const suffix of SQLITE_COMPANION_SUFFIXES) assertOwnerOnly(`${file}${suffix}`, "--database");
}
