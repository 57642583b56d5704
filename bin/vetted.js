#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm install` through the prepare script); from a checkout
// without a build it falls back to the TypeScript sources through tsx.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = fileURLToPath(new URL("../dist/cli/entry.js", import.meta.url));
if (existsSync(built)) {
  await import(built);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/entry.ts");
}
