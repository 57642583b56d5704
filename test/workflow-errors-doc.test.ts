/**
 * docs/workflow-errors.md is generated from the method declarations; this fails when the checked-in
 * file is stale. It also checks the declarations against what the workflow tests see the server
 * send, so the generated table cannot leave out an error the code really returns.
 * (No database is involved, so unlike the other workflow tests this runs once, not per database.)
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  README_PATH,
  readmeWithSummary,
  renderWorkflowErrors,
  WORKFLOW_ERRORS_PATH,
} from "../scripts/workflow-errors-table.js";
import { errorsOf } from "../src/http/openapi.js";
import { METHODS } from "../src/methods/index.js";

/** [method, code, sub_code] that the workflow-*.test.ts files provoke over HTTP. */
const OBSERVED: [string, string, string?][] = [
  ["workflow.create", "BAD_REQUEST"],
  ["workflow.create", "ENTITY_NOT_FOUND"],
  ["workflow.create", "SYSTEM_RULE_VIOLATION", "CROSS_ACCOUNT_REFERENCE"],
  ["workflow.create", "SYSTEM_RULE_VIOLATION", "INVALID_SUBJECT_RECORD_TYPE"],
  ["workflow.create", "SYSTEM_RULE_VIOLATION", "INVALID_WORKFLOW_TYPE"],
  ["workflow.create", "SYSTEM_RULE_VIOLATION", "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT"],
  ["workflow.create", "ACCOUNT_CONFIGURATION_VIOLATION", "DUPLICATE_EMAIL"],
  ["workflow.create", "PERMISSION_DENIED"],
  ["workflow.get", "BAD_REQUEST"],
  ["workflow.get", "ENTITY_NOT_FOUND"],
  ["workflow.list", "BAD_REQUEST"],
  ["workflow.list", "ENTITY_NOT_FOUND"],
  ["workflow.update", "BAD_REQUEST"],
  ["workflow.update", "ENTITY_NOT_FOUND"],
  ["workflow.update", "SYSTEM_RULE_VIOLATION", "INVALID_WORKFLOW_TYPE"],
  ["workflow.update", "SYSTEM_RULE_VIOLATION", "WORKFLOW_ALREADY_STARTED"],
  ["workflow.update", "SYSTEM_RULE_VIOLATION", "WORKFLOW_ENDED"],
  ["workflow.update", "ACCOUNT_CONFIGURATION_VIOLATION", "DUPLICATE_EMAIL"],
  ["workflow.update", "PERMISSION_DENIED"],
  ["workflow.start", "ENTITY_NOT_FOUND"],
  ["workflow.start", "SYSTEM_RULE_VIOLATION", "WORKFLOW_STARTED"],
  ["workflow.start", "SYSTEM_RULE_VIOLATION", "WORKFLOW_ENDED"],
  ["workflow.start", "PERMISSION_DENIED"],
  ["workflow.canComplete", "ENTITY_NOT_FOUND"],
  ["workflow.canComplete", "SYSTEM_RULE_VIOLATION", "INVALID_WORKFLOW_TYPE"],
  ["workflow.canComplete", "SYSTEM_RULE_VIOLATION", "WORKFLOW_ENDED"],
  ["workflow.complete", "ENTITY_NOT_FOUND"],
  ["workflow.complete", "SYSTEM_RULE_VIOLATION", "INVALID_WORKFLOW_TYPE"],
  ["workflow.complete", "SYSTEM_RULE_VIOLATION", "WORKFLOW_ENDED"],
  ["workflow.complete", "MISSING_REQUIREMENTS"],
  ["workflow.complete", "PERMISSION_DENIED"],
];

describe("docs/workflow-errors.md", () => {
  it("is up to date with the method declarations (run `npx tsx scripts/write-workflow-errors.ts`)", () => {
    assert.equal(readFileSync(WORKFLOW_ERRORS_PATH, "utf8"), renderWorkflowErrors());
  });

  it("the README carries the current summary table (run `npx tsx scripts/write-workflow-errors.ts`)", () => {
    const readme = readFileSync(README_PATH, "utf8");
    assert.equal(readme, readmeWithSummary(readme));
  });

  it("lists every error the workflow tests see the server send, under the method that sends it", () => {
    for (const [name, code, subCode] of OBSERVED) {
      const method = METHODS.find((m) => m.name === name);
      assert.ok(method, `no method ${name}`);
      const declared = errorsOf(method).some((e) => e.code === code && e.sub_code === subCode);
      assert.ok(declared, `${name} does not declare ${code}${subCode ? `/${subCode}` : ""}`);
    }
  });

  it("has one row per code and sub_code, with the catalog's HTTP status", () => {
    const rows = renderWorkflowErrors()
      .split("\n")
      .filter((line) => /^\| [A-Z_]+ +\| \d{3} /.test(line))
      .map((line) =>
        line
          .split("|")
          .map((cell) => cell.trim())
          .slice(1, -1),
      );
    const keys = rows.map(([code, , detail]) => `${code} ${detail}`);
    assert.equal(new Set(keys).size, keys.length);
    const find = (code: string, detail = "") => rows.find(([c, , d]) => c === code && d === detail);
    assert.deepEqual(find("ACCOUNT_CONFIGURATION_VIOLATION", "Workflow / DUPLICATE_EMAIL")?.slice(0, 4), [
      "ACCOUNT_CONFIGURATION_VIOLATION",
      "400",
      "Workflow / DUPLICATE_EMAIL",
      "`workflow.create`, `workflow.update`",
    ]);
    assert.equal(find("PERMISSION_DENIED")?.[1], "403");
    assert.equal(find("ENTITY_NOT_FOUND")?.[3], "all");
  });
});
