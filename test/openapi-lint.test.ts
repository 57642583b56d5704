/**
 * openapi.json passes a standard OpenAPI linter: Redocly CLI's recommended rules, as configured in
 * redocly.yaml (which says why any rule is off). Offline: telemetry and the update check are off.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string; severity: string }[];
}

function lint(file: string): LintReport {
  const cli = path.join(process.cwd(), "node_modules/@redocly/cli/bin/cli.js");
  const result = spawnSync(
    process.execPath,
    [cli, "lint", file, "--config", "redocly.yaml", "--format=json"],
    {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
  assert.ok(
    result.stdout.trim().startsWith("{"),
    `redocly printed no report:\n${result.stdout}${result.stderr}`,
  );
  return JSON.parse(result.stdout) as LintReport;
}

function summary(report: LintReport): string {
  return report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`).join("\n");
}

describe("OpenAPI lint (Redocly recommended)", () => {
  it("reports no error and no warning on openapi.json", () => {
    const report = lint("openapi.json");
    assert.deepEqual(report.totals.errors, 0, summary(report));
    assert.deepEqual(report.totals.warnings, 0, summary(report));
  });

  it("would report a document without servers and with an operation left unsecured", () => {
    const document = JSON.parse(readFileSync("openapi.json", "utf8")) as {
      servers?: unknown;
      paths: Record<string, { post: { security?: unknown } }>;
    };
    delete document.servers;
    const operation = document.paths["/workflow.create"]?.post;
    assert.ok(operation);
    delete operation.security;
    const dir = mkdtempSync(path.join(os.tmpdir(), "vetted-openapi-lint-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(document));
      const rules = lint(file).problems.map((problem) => problem.ruleId);
      assert.ok(rules.includes("no-empty-servers"), rules.join(", "));
      assert.ok(rules.includes("security-defined"), rules.join(", "));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
