/**
 * The error-docs drift check, run by scripts/run-tests.mjs after the whole suite: the errors each
 * method documents (its declaration's `errors`, as errorsOf gives them) against the errors the
 * tests saw it answer (test/support/error-record.ts). Both ways:
 * - every error a method documents itself must have been seen for that method — the errors every
 *   method shares (COMMON_ERRORS) are exempt unless the method declares that code itself;
 * - every error seen must be documented for that method. A shared code counts as documented
 *   with any sub_code (AUTHENTICATION_FAILED names its check there); a method's own code must
 *   match code and sub_code exactly.
 *
 *   npx tsx scripts/error-drift.ts <dir of *.jsonl>
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { errorsOf } from "../src/http/openapi.js";
import { COMMON_ERRORS, type DocumentedError, type MethodDefinition } from "../src/methods/define.js";
import { METHODS } from "../src/methods/index.js";

export interface ErrorTuple {
  method: string;
  code: string;
  sub_code: string | null;
}

const COMMON_CODES = new Set<string>(COMMON_ERRORS.map((error) => error.code));

export function tupleName({ method, code, sub_code }: ErrorTuple): string {
  return `${method} ${code}${sub_code ? `/${sub_code}` : ""}`;
}

/** Whether errorsOf added this entry from COMMON_ERRORS (the method does not declare the code). */
function isShared(method: MethodDefinition, error: DocumentedError): boolean {
  return COMMON_CODES.has(error.code) && !method.errors.some((own) => own.code === error.code);
}

/** The errors a method documents that the tests must provoke. */
export function mustBeSeen(method: MethodDefinition): ErrorTuple[] {
  return errorsOf(method)
    .filter((error) => !isShared(method, error))
    .map((error) => ({ method: method.name, code: error.code, sub_code: error.sub_code ?? null }));
}

function documents(method: MethodDefinition, seen: ErrorTuple): boolean {
  return errorsOf(method).some(
    (error) =>
      error.code === seen.code &&
      ((error.sub_code ?? null) === seen.sub_code || (isShared(method, error) && !error.sub_code)),
  );
}

export interface Drift {
  /** Documented for the method, never seen in the run. */
  unseen: ErrorTuple[];
  /** Seen for the method, not documented for it. */
  undocumented: ErrorTuple[];
}

/** Compares the seen tuples (responses to paths that are not methods are ignored) with the docs. */
export function errorDrift(
  seen: readonly ErrorTuple[],
  methods: readonly MethodDefinition[] = METHODS,
): Drift {
  const seenNames = new Set(seen.map(tupleName));
  const unseen = methods.flatMap(mustBeSeen).filter((tuple) => !seenNames.has(tupleName(tuple)));
  const undocumented = new Map<string, ErrorTuple>();
  for (const tuple of seen) {
    const method = methods.find((m) => m.name === tuple.method);
    if (method && !documents(method, tuple)) undocumented.set(tupleName(tuple), tuple);
  }
  return { unseen, undocumented: [...undocumented.values()] };
}

export function readSeen(dir: string): ErrorTuple[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .flatMap((name) => readFileSync(path.join(dir, name), "utf8").split("\n"))
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ErrorTuple);
}

/** The report's lines; empty when nothing drifted. */
export function driftReport(drift: Drift): string[] {
  const lines: string[] = [];
  if (drift.unseen.length > 0) {
    lines.push(
      "Documented but never seen in the test run (write the test that provokes it, or drop it from `errors`):",
    );
    lines.push(...drift.unseen.map((tuple) => `  ${tupleName(tuple)}`));
  }
  if (drift.undocumented.length > 0) {
    lines.push("Seen in the test run but not documented for the method (add it to the method's `errors`):");
    lines.push(...drift.undocumented.map((tuple) => `  ${tupleName(tuple)}`));
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: error-drift.ts <dir>");
  const seen = readSeen(dir);
  const report = driftReport(errorDrift(seen));
  if (report.length > 0) {
    console.error(`Error-docs drift check FAILED (${seen.length} errors recorded):`);
    for (const line of report) console.error(line);
    process.exit(1);
  }
  const ofMethods = seen.filter((tuple) => METHODS.some((method) => method.name === tuple.method));
  console.log(
    `Error-docs drift check passed: ${new Set(ofMethods.map(tupleName)).size} distinct errors seen from the ${METHODS.length} methods, all documented; every documented error was seen.`,
  );
}
