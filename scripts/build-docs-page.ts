/**
 * `npm run build` (and `prepare`): bundles the docs page's script next to the compiled server, so
 * a built server serves it without esbuild (a devDependency). A server run from the sources
 * bundles on its first request with the same function (src/http/docs-page/bundle.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BUNDLE_FILENAME, bundleTryItSigning } from "../src/http/docs-page/bundle.js";

const target = path.join("dist", "http", "docs-page", BUNDLE_FILENAME);
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, await bundleTryItSigning());
console.log(`wrote ${target}`);
