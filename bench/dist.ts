/**
 * The bench runs the built server, so it loads the store and the ID helpers from `dist/` too.
 * `dist/` has no type declarations; each import is typed with the matching module under `src/`.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./config.js";

export const DIST_DIR = path.join(REPO_ROOT, "dist");
export const DIST_ENTRY = path.join(DIST_DIR, "cli", "entry.js");

export function assertBuilt(): void {
  if (!fs.existsSync(DIST_ENTRY)) {
    throw new Error(`${DIST_ENTRY} is missing: run \`npm run build\` (npm run bench does it for you)`);
  }
}

/** `import()` of a built module, typed as its source (`distModule<typeof import("../src/x.js")>("x.js")`). */
export async function distModule<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(path.join(DIST_DIR, relative)).href)) as T;
}
