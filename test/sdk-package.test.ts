/**
 * The SDK as published (issue 16, item 3): it builds with no Node types at all (its tsconfig has
 * `"types": []` and the DOM library), its built JavaScript imports nothing but its own modules and
 * @noble/hashes — no `node:` module, so it runs in browsers — and the package ships only dist,
 * README and LICENSE.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { tempDir } from "./support/databases.js";

const PACKAGE = "packages/client";
const TSC = path.resolve("node_modules/typescript/bin/tsc");

/** Every module specifier a built file imports, static or dynamic. */
function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/\bfrom\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...source.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return specifiers.map((match) => match[1] ?? "");
}

describe("the @vetted/client package", () => {
  const outDir = tempDir("vetted-sdk-build-");
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("builds without Node types and imports no node: module", () => {
    execFileSync(process.execPath, [TSC, "-p", path.join(PACKAGE, "tsconfig.json"), "--outDir", outDir], {
      stdio: "pipe",
    });
    const files = readdirSync(outDir).filter((name) => name.endsWith(".js"));
    assert.ok(files.includes("index.js") && files.includes("client.js"), `built: ${files.join(", ")}`);
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(path.join(outDir, file), "utf8"))) {
        assert.ok(
          specifier.startsWith("./") || specifier.startsWith("@noble/hashes/"),
          `${file} imports ${specifier}: only its own modules and @noble/hashes may be imported`,
        );
      }
    }
  });

  it("packs only dist, README and LICENSE", () => {
    const output = execFileSync(
      "npm",
      ["pack", "--dry-run", "--json", "--ignore-scripts", "-w", "@vetted/client"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const [packed] = JSON.parse(output) as { version: string; files: { path: string }[] }[];
    assert.ok(packed);
    assert.equal(packed.version, "0.1.0");
    const paths = packed.files.map((file) => file.path);
    assert.ok(paths.includes("README.md") && paths.includes("LICENSE"), paths.join(", "));
    for (const file of paths) {
      assert.ok(
        file.startsWith("dist/") || ["README.md", "LICENSE", "package.json"].includes(file),
        `${file} should not be packed`,
      );
    }
  });
});
