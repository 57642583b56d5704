/**
 * docs/signing.md as a page of the docs site, so the guide the docs page links to is served by the
 * same server and always matches the repository's copy. Rendered once per process with marked.
 */
import { readFile } from "node:fs/promises";
import { marked } from "marked";
import { DOCS_PREFIX } from "./paths.js";

/** The guide in the repository (and in the package): src|dist/http/docs-page → the root. */
const GUIDE = new URL("../../../docs/signing.md", import.meta.url);

/** Only the theme's style sheet: the guide runs no script and loads nothing else. */
export const SIGNING_GUIDE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

let cached: Promise<string> | undefined;

export function signingGuideHtml(stylesheet: string): Promise<string> {
  cached ??= readFile(GUIDE, "utf8").then(async (markdown) => {
    const body = await marked.parse(markdown);
    return [
      "<!DOCTYPE html>",
      '<html lang="en"><head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      "<title>Signing requests (KSig1-HMAC-SHA256) — Vetted API</title>",
      `<link rel="stylesheet" href="${stylesheet}">`,
      `<link rel="icon" type="image/png" href="${DOCS_PREFIX}/static/favicon-32x32.png" sizes="32x32">`,
      '</head><body class="vetted-guide">',
      `<nav><a href="${DOCS_PREFIX}/">← API reference and “Try it out”</a></nav>`,
      `<main>${body}</main>`,
      "</body></html>",
    ].join("\n");
  });
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
