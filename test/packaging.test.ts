/**
 * Issue 16, item 7: the package is Apache-2.0 and publishable, `npm pack` ships what a user needs
 * and nothing of the workshop, and the README and docs link only to files in the repository.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("licence and package", () => {
  it("is Apache-2.0, with the licence's full text, and not private", () => {
    const pkg = JSON.parse(read("package.json")) as Record<string, unknown>;
    assert.equal(pkg.license, "Apache-2.0");
    assert.equal(pkg.private, undefined, "publishable");
    const licence = read("LICENSE");
    assert.match(licence, /^\s*Apache License\s+Version 2\.0, January 2004/);
    for (const section of [
      "1. Definitions.",
      "9. Accepting Warranty or Additional Liability.",
      "END OF TERMS AND CONDITIONS",
    ]) {
      assert.ok(licence.includes(section), `LICENSE has "${section}"`);
    }
  });

  it("npm pack ships the build, the command, the docs and the OpenAPI document, and nothing else", async () => {
    // --ignore-scripts: the list, without building dist/ (the prepare script does that on a real pack).
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const files = (packed?.files ?? []).map((file) => file.path);
    for (const needed of [
      "package.json",
      "README.md",
      "LICENSE",
      "openapi.json",
      "bin/vetted.js",
      "docs/architecture.md",
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the package: ${files.join(", ")}`);
    }
    const shipped =
      /^(package\.json|README\.md|LICENSE|openapi\.json|bin\/[^/]+\.js|docs\/[^/]+\.md|dist\/.+)$/;
    for (const file of files) assert.match(file, shipped, "only what a user needs ships");
    const pkg = JSON.parse(read("package.json")) as { files: string[]; bin: Record<string, string> };
    assert.ok(pkg.files.includes("dist"), "the build ships (bin/vetted.js runs dist/cli/entry.js)");
    if (fs.existsSync(path.join(ROOT, "dist/cli/entry.js"))) assert.ok(files.includes("dist/cli/entry.js"));
    for (const bin of Object.values(pkg.bin))
      assert.ok(files.includes(bin.replace(/^\.\//, "")), `${bin} ships`);
  });
});

/** Markdown link targets outside code: inline `[text](target)` and `![alt](target)`, and `[ref]: target`. */
function linkTargets(markdown: string): string[] {
  const prose = markdown
    .replace(/^(```|~~~)[\s\S]*?^\1/gm, "") // fenced code blocks
    .replace(/`[^`\n]*`/g, ""); // code spans
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1] ?? "",
  );
  const references = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1] ?? "");
  return [...inline, ...references];
}

describe("links in README.md and docs/", () => {
  const pages = [
    "README.md",
    ...fs
      .readdirSync(path.join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];

  it("finds the links it checks", () => {
    assert.ok(linkTargets(read("README.md")).includes("LICENSE"));
    assert.deepEqual(linkTargets("[a](x.md) `[b](y.md)` ![c](<z.png>)\n```\n[d](w.md)\n```\n[e]: v.md"), [
      "x.md",
      "z.png",
      "v.md",
    ]);
  });

  for (const page of pages) {
    it(`${page}: every relative link points to a file in the repository`, () => {
      for (const target of linkTargets(read(page))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#")) continue; // a URL or an anchor
        const file = decodeURIComponent(target.split("#")[0] ?? "");
        const resolved = path.resolve(ROOT, path.dirname(page), file);
        const inside = path.relative(ROOT, resolved);
        assert.ok(
          !inside.startsWith("..") && !path.isAbsolute(inside),
          `${page} links outside the repository: ${target}`,
        );
        assert.ok(fs.existsSync(resolved), `${page} links to a missing file: ${target}`);
      }
    });
  }
});
