#!/usr/bin/env node
// `npm test`: every test file under test/, on SQLite, and on PostgreSQL too when
// VETTED_TEST_DATABASE_URL names a database server to create throwaway databases on.
// After the whole suite (no filter) it runs the error-docs drift check, scripts/error-drift.ts, on
// the errors the test clients recorded (test/support/error-record.ts) in a fresh directory.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

// The tests (and the servers and CLIs they spawn) run the SDK package from its TypeScript source,
// so a change under packages/client/src is tested without building it first.
const SOURCE_CONDITIONS = {
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --conditions=vetted-source`.trim(),
};

/** The newest modification time of any file under the paths (0 for none). */
function newestChange(paths) {
  let newest = 0;
  for (const entry of paths) {
    if (!existsSync(entry)) continue;
    const stat = statSync(entry);
    if (!stat.isDirectory()) newest = Math.max(newest, stat.mtimeMs);
    else newest = Math.max(newest, newestChange(readdirSync(entry).map((name) => path.join(entry, name))));
  }
  return newest;
}

// The CLI processes and servers the tests start run from dist/ (test/support/cli-process.ts says
// why), so the build must be of these sources: it is made again when any of them is newer. If it
// fails (a type error mid-change, say), the children load src/ through tsx instead, more slowly.
// The docs page's bundle is the build's last step, so it is older than the sources after a build
// that stopped early (tsc still writes its files when it finds type errors).
const BUILD_OUTPUTS = [
  "packages/client/dist/index.js",
  "dist/cli/entry.js",
  "dist/http/docs-page/try-it-signing.bundle.js",
];
function childrenRunBuilt() {
  const builtAt = Math.min(...BUILD_OUTPUTS.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  const sources = ["src", "packages/client/src", "package.json", "tsconfig.json", "tsconfig.build.json"];
  if (newestChange(sources) < builtAt) return true;
  console.log("Building dist/ for the CLI processes the tests start (npm run build).");
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  if (build.status === 0) return true;
  console.log("The build failed: the tests' CLI processes load src/ through tsx instead.");
  return false;
}

const filter = process.argv.slice(2);
const files = testFiles("test")
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  .sort();
if (process.env.VETTED_TEST_DATABASE_URL) {
  console.log("Running the tests on SQLite and PostgreSQL (VETTED_TEST_DATABASE_URL is set).");
} else {
  console.log("VETTED_TEST_DATABASE_URL is not set: running the tests on SQLite only.");
}
// A directory the caller names is kept afterwards, to look at what was recorded.
const keepErrors = Boolean(process.env.VETTED_TEST_ERRORS_DIR);
const errorsDir =
  process.env.VETTED_TEST_ERRORS_DIR || mkdtempSync(path.join(os.tmpdir(), "vetted-test-errors-"));
const childrenBuilt = childrenRunBuilt();
// Besides the TAP stream, the failed tests alone go to a file printed at the very end.
const failuresFile = path.join(errorsDir, "failed-tests.txt");
// A file's bound is generous on purpose: the CLI and child-server files spawn dozens of processes,
// and on a busy two-core machine one start can take seconds. It catches a hang, not slowness.
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=2",
    "--test-timeout=300000",
    "--test-reporter=tap",
    "--test-reporter-destination=stdout",
    "--test-reporter=./scripts/failures-reporter.mjs",
    `--test-reporter-destination=${failuresFile}`,
    ...files,
  ],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      ...SOURCE_CONDITIONS,
      VETTED_TEST_ERRORS_DIR: errorsDir,
      VETTED_TEST_CLI_BUILT: childrenBuilt ? "1" : "0",
    },
  },
);
let status = result.status ?? 1;
if (filter.length > 0) {
  console.log("Error-docs drift check skipped: it needs the whole suite (run without a filter).");
} else {
  const drift = spawnSync(process.execPath, ["--import", "tsx", "scripts/error-drift.ts", errorsDir], {
    stdio: "inherit",
    env: { ...process.env, ...SOURCE_CONDITIONS },
  });
  if (drift.status !== 0) status = status || 1;
}
const failures = existsSync(failuresFile) ? readFileSync(failuresFile, "utf8") : "";
if (failures) console.log(`\n${failures}`);
if (!keepErrors) rmSync(errorsDir, { recursive: true, force: true });
process.exit(status);
