/** Turns ajv's validation errors into BAD_REQUEST errors that name each offending field. */
import { EMAIL_PATTERN } from "../domain/email.js";
import { ApiError, type WireError } from "../errors.js";

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function dotted(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
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
        message: `must be one of ${(error.params.allowedValues as unknown[]).map(String).join(", ")}`,
      };
    case "pattern":
      // The email pattern is long and unreadable in a message; name what it checks instead.
      if (error.params.pattern === EMAIL_PATTERN)
        return { field: at || null, message: "must be a valid email address" };
      return { field: at || null, message: error.message ?? "is invalid" };
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

/**
 * No string may carry U+0000: PostgreSQL text cannot hold it (a 500 there, stored on SQLite), so
 * both databases answer BAD_REQUEST on the field. Runs on the schema-validated body, whose depth
 * the strict schemas bound, so recursion is safe here.
 */
export function assertNoNulCharacters(value: unknown, path = ""): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) {
      throw new ApiError("BAD_REQUEST", {
        message: `${path || "Request body"} must not contain the NUL character (U+0000)`,
        field: path || null,
      });
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value))
    assertNoNulCharacters(child, path ? `${path}.${key}` : key);
}
