/**
 * The docs page's script as browser JavaScript: browser/try-it-signing.ts and the SDK's ksig1
 * module (with its MD5), bundled by esbuild into one classic script. `npm run build` writes it next
 * to the compiled server (scripts/build-docs-page.ts); a server run from the TypeScript sources
 * (tests, a checkout without a build) bundles it on its first request, with this same function.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The built bundle's name, next to this module in dist/. */
export const BUNDLE_FILENAME = "try-it-signing.bundle.js";

export async function bundleTryItSigning(): Promise<string> {
  // esbuild is a build tool (a devDependency): imported only when there is no built bundle.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./browser/try-it-signing.ts", import.meta.url))],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    // The SDK from its TypeScript source: the page never depends on packages/client being built.
    conditions: ["vetted-source"],
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no output for the docs page script");
  return output.text;
}

let cached: Promise<string> | undefined;

/** The built bundle if there is one, else a fresh bundle; once per process either way. */
export function tryItSigningScript(): Promise<string> {
  cached ??= readFile(new URL(`./${BUNDLE_FILENAME}`, import.meta.url), "utf8").catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return bundleTryItSigning();
  });
  // A failure is not cached: the next request tries again (and the log shows each failure).
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
