/**
 * scripts/failures-reporter.mjs, the list of failed tests npm test prints last: run by node's own
 * test runner on small test files written here, as scripts/run-tests.mjs runs it.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "./support/cli-process.js";
import { tempDir } from "./support/databases.js";

const dir = tempDir("vetted-reporter-");
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `node --test` on the files with only the failures reporter; its output. */
async function report(files: Record<string, string>): Promise<string> {
  const paths = Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
  const reporter = path.join(REPO_ROOT, "scripts/failures-reporter.mjs");
  const args = ["--test", `--test-reporter=${reporter}`, "--test-reporter-destination=stdout", ...paths];
  // Without the variable that makes a runner inside a test file report to the outer runner.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  // A failed run exits 1; its output is what is asserted.
  const result = await promisify(execFile)(process.execPath, args, { cwd: dir, env }).catch(
    (error: { stdout: string }) => error,
  );
  return result.stdout;
}

const HEADER = 'import { describe, it } from "node:test";\nimport assert from "node:assert/strict";\n';

describe("the failures reporter", () => {
  it("names each failed test with its suites and file, and its error, and nothing that passed", async () => {
    const output = await report({
      "one.test.mjs": `${HEADER}describe("outer", () => { describe("mid", () => {
        it("fails", () => assert.equal(1, 2));
        it("passes", () => {});
      }); });`,
      "two.test.mjs": `${HEADER}it("throws", () => { throw new Error("broke here"); });`,
    });
    assert.match(output, /^2 failed:\n/);
    assert.match(output, /✖ outer › mid › fails\n {2}in .*one\.test\.mjs\n/);
    assert.match(output, /1 !== 2/);
    assert.match(output, /✖ throws\n {2}in .*two\.test\.mjs\n/);
    assert.match(output, /broke here/);
    assert.doesNotMatch(output, /passes/);
    // A suite fails because its test did; it is not listed a second time.
    assert.doesNotMatch(output, /✖ outer\n|✖ outer › mid\n/);
  });

  it("writes nothing when every test passed", async () => {
    const output = await report({ "fine.test.mjs": `${HEADER}it("passes", () => {});` });
    assert.equal(output, "");
  });
});
