/**
 * docs/errors.md is generated from the method declarations; this fails when the checked-in
 * file is stale. Whether the declarations match what the server really sends is checked from the
 * test run itself (scripts/error-drift.ts, run by `npm test` after the whole suite); here, that
 * the comparison it makes catches drift both ways.
 * (No database is involved, so unlike the other workflow tests this runs once, not per database.)
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { type ErrorTuple, errorDrift, mustBeSeen } from "../scripts/error-drift.js";
import { ERRORS_PATH, README_PATH, readmeWithSummary, renderErrors } from "../scripts/errors-table.js";
import { METHODS } from "../src/methods/index.js";

describe("docs/errors.md", () => {
  it("is up to date with the method declarations (run `npx tsx scripts/write-errors-table.ts`)", () => {
    assert.equal(readFileSync(ERRORS_PATH, "utf8"), renderErrors());
  });

  it("the README carries the current summary table (run `npx tsx scripts/write-errors-table.ts`)", () => {
    const readme = readFileSync(README_PATH, "utf8");
    assert.equal(readme, readmeWithSummary(readme));
  });

  it("has one row per code and sub_code, with the catalog's HTTP status", () => {
    const rows = renderErrors()
      .split("\n")
      .filter((line) => /^\| [A-Z_]+ +\| \d{3} /.test(line))
      .map((line) =>
        line
          .split("|")
          .map((cell) => cell.trim())
          .slice(1, -1),
      );
    const keys = rows.map(([code, status, detail]) => `${code} ${status} ${detail}`);
    assert.equal(new Set(keys).size, keys.length);
    const find = (code: string, detail = "") => rows.find(([c, , d]) => c === code && d === detail);
    assert.deepEqual(find("ACCOUNT_CONFIGURATION_VIOLATION", "Workflow / DUPLICATE_EMAIL")?.slice(0, 4), [
      "ACCOUNT_CONFIGURATION_VIOLATION",
      "400",
      "Workflow / DUPLICATE_EMAIL",
      "`workflow.create`, `workflow.update`",
    ]);
    assert.equal(find("PERMISSION_DENIED")?.[1], "403");
    assert.equal(find("ENTITY_NOT_FOUND")?.[3], "all but `meta.checkVersion`");
  });
});

describe("the error-docs drift check (scripts/error-drift.ts)", () => {
  const documented = METHODS.flatMap(mustBeSeen);
  const tuple = (method: string, code: string, sub_code: string | null = null): ErrorTuple => ({
    method,
    code,
    sub_code,
  });

  it("asks for each method's own errors and PERMISSION_DENIED on writes, not the shared ones", () => {
    const names = documented.map((t) => `${t.method} ${t.code} ${t.sub_code ?? ""}`.trim());
    assert.ok(names.includes("workflow.complete MISSING_REQUIREMENTS"));
    assert.ok(names.includes("workflow.start SYSTEM_RULE_VIOLATION WORKFLOW_STARTED"));
    assert.ok(names.includes("subjectRecord.create PERMISSION_DENIED"));
    assert.ok(!names.includes("workflow.get PERMISSION_DENIED"));
    assert.ok(
      !names.some((name) => name.endsWith(" AUTHENTICATION_FAILED") || name.endsWith(" RATE_LIMITED")),
    );
  });

  it("passes when exactly the documented errors were seen, plus shared ones with any sub_code", () => {
    const shared = [
      tuple("workflow.get", "AUTHENTICATION_FAILED", "SIGNATURE_MISMATCH"),
      tuple("workflow.create", "IDEMPOTENCY_KEY_REUSED"),
      tuple("meta.checkVersion", "PAYLOAD_TOO_LARGE"),
      tuple("/no.such.method", "BAD_REQUEST"),
    ];
    assert.deepEqual(errorDrift([...documented, ...documented, ...shared]), { unseen: [], undocumented: [] });
  });

  it("names a documented error no test provoked", () => {
    const missing = tuple("workflow.update", "SYSTEM_RULE_VIOLATION", "WORKFLOW_ALREADY_STARTED");
    const seen = documented.filter((t) => JSON.stringify(t) !== JSON.stringify(missing));
    assert.deepEqual(errorDrift(seen), { unseen: [missing], undocumented: [] });
  });

  it("names an error seen for a method that does not document it", () => {
    const strays = [
      tuple("workflow.get", "MISSING_REQUIREMENTS"),
      tuple("workflow.start", "SYSTEM_RULE_VIOLATION", "WORKFLOW_ALREADY_STARTED"),
      tuple("workflow.get", "PERMISSION_DENIED"),
      tuple("workflow.list", "IDEMPOTENCY_KEY_IN_USE"),
      tuple("meta.checkVersion", "AUTHENTICATION_FAILED", "MISSING_CREDENTIALS"),
    ];
    assert.deepEqual(errorDrift([...documented, ...strays]), { unseen: [], undocumented: strays });
  });
});
