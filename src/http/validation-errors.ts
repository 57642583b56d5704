/** Turns ajv's validation errors into BAD_REQUEST errors that name each offending field. */
import { EMAIL_PATTERN } from "../domain/email.js";
import { ApiError, type WireError } from "../errors.js";
import type { BadRequestIssue } from "../methods/formats/issues.js";
import { formatMessage } from "../methods/formats/rules.js";

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * `/business/addresses/1/postal_code` → `business.addresses[1].postal_code` (wire.md). A numeric
 * segment is an array index: the strict schemas declare no numeric property names.
 */
function dotted(instancePath: string): string {
  let path = "";
  for (const raw of instancePath.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^(0|[1-9][0-9]*)$/.test(segment)) path += `[${segment}]`;
    else path = path === "" ? segment : `${path}.${segment}`;
  }
  return path;
}

function join(parent: string, child: string): string {
  return parent === "" ? child : `${parent}.${child}`;
}

function describe(error: AjvError): { field: string | null; message: string } {
  const at = dotted(error.instancePath);
  switch (error.keyword) {
    case "required":
      return { field: join(at, String(error.params.missingProperty)), message: "is required" };
    case "additionalProperties":
      return { field: join(at, String(error.params.additionalProperty)), message: "is not a known field" };
    case "enum":
      return {
        field: at || null,
        // A nullable enum lists null too (schema.ts Nullable); its type error already says so.
        message: `must be one of ${(error.params.allowedValues as unknown[])
          .filter((value) => value !== null)
          .map(String)
          .join(", ")}`,
      };
    case "pattern":
      // The email pattern is long and unreadable in a message; name what it checks instead.
      if (error.params.pattern === EMAIL_PATTERN)
        return { field: at || null, message: "must be a valid email address" };
      return { field: at || null, message: error.message ?? "is invalid" };
    case "format":
      // Vetted's formats (methods/formats/rules.ts) say what they check in words.
      return {
        field: at || null,
        message: formatMessage(String(error.params.format)) ?? error.message ?? "is invalid",
      };
    default:
      return { field: at || null, message: error.message ?? "is invalid" };
  }
}

export function validationError(errors: readonly AjvError[]): ApiError {
  const seen = new Set<string>();
  const wire: WireError[] = [];
  for (const error of errors) {
    const { field, message } = describe(error);
    const key = field ?? "";
    if (seen.has(key)) continue;
    seen.add(key);
    wire.push({
      code: "BAD_REQUEST",
      message: field === null ? `Request body ${message}` : `${field} ${message}`,
      field,
    });
  }
  const [first, ...more] = wire;
  return new ApiError("BAD_REQUEST", {
    message: first?.message ?? "Invalid request body",
    field: first?.field ?? null,
    more,
  });
}

/** The issues a declaration's `refine` found, as one BAD_REQUEST listing each on its field. */
export function assertNoIssues(issues: readonly BadRequestIssue[]): void {
  const [first, ...more] = issues.map(
    ({ field, message }): WireError => ({ code: "BAD_REQUEST", message: `${field} ${message}`, field }),
  );
  if (first) throw new ApiError("BAD_REQUEST", { message: first.message, field: first.field, more });
}

/** ES2024's String.prototype.isWellFormed: in Node 20, not in the TypeScript lib this build targets. */
const isWellFormed = (value: string) => (value as unknown as { isWellFormed(): boolean }).isWellFormed();

function stringFault(value: string): string | undefined {
  if (value.includes("\u0000")) return "must not contain the NUL character (U+0000)";
  // A lone surrogate (sent as a \u escape) cannot be encoded: PostgreSQL refuses it (a 500, its
  // error quoting the applicant's data) and SQLite would store bytes that are not UTF-8.
  if (!isWellFormed(value)) return "is not well-formed Unicode (it holds a lone surrogate)";
  return undefined;
}

/**
 * Every string must be storable as sent, in either database: no U+0000 (PostgreSQL text cannot
 * hold it) and no lone UTF-16 surrogate. BAD_REQUEST on the field (keys are checked too: the
 * strict schemas refuse odd keys as unknown fields first). Runs on the schema-validated body,
 * whose depth the strict schemas bound, so recursion is safe here.
 */
export function assertWellFormedStrings(value: unknown, path = ""): void {
  if (typeof value === "string") {
    const fault = stringFault(value);
    if (fault !== undefined) {
      throw new ApiError("BAD_REQUEST", {
        message: `${path || "Request body"} ${fault}`,
        field: path || null,
      });
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) assertWellFormedStrings(item, `${path}[${index}]`);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    assertWellFormedStrings(key, at);
    assertWellFormedStrings(child, at);
  }
}
