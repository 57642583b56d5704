/**
 * The BAD_REQUEST error objects validation answers with, built the way the server words them, so
 * bad-input tables can assert whole error objects and stay short.
 */
import type { WireError } from "../../src/errors.js";

const bad = (field: string | null, message: string): WireError => ({ code: "BAD_REQUEST", message, field });

export const expected = {
  required: (field: string) => bad(field, `${field} is required`),
  unknown: (field: string) => bad(field, `${field} is not a known field`),
  type: (field: string, type: "string" | "boolean" | "integer" | "object") =>
    bad(field, `${field} must be ${type}`),
  oneOf: (field: string, values: readonly string[]) =>
    bad(field, `${field} must be one of ${values.join(", ")}`),
  pattern: (field: string, pattern: string) => bad(field, `${field} must match pattern "${pattern}"`),
  idPattern: (field: string, ...prefixes: string[]) =>
    bad(field, `${field} must match pattern "^(${prefixes.join("|")})[0-9A-Za-z]{1,22}$"`),
  minimum: (field: string, min: number) => bad(field, `${field} must be >= ${min}`),
  maximum: (field: string, max: number) => bad(field, `${field} must be <= ${max}`),
  minLength: (field: string, min: number) =>
    bad(field, `${field} must NOT have fewer than ${min} characters`),
  maxLength: (field: string, max: number) => bad(field, `${field} must NOT have more than ${max} characters`),
  other: bad,
  body: (message: string) => bad(null, message),
};

/** Well-formed IDs with the wrong shape in each way wire.md names. */
export function malformedIds(good: string, otherPrefix: string): [string, string][] {
  const tail = good.slice(good.indexOf("_") + 1);
  return [
    ["a wrong prefix", `${otherPrefix}${tail}`],
    ["no prefix", tail],
    ["the prefix alone", good.slice(0, good.indexOf("_") + 1)],
    ["23 characters after the prefix", `${good.slice(0, good.indexOf("_") + 1)}${"A".repeat(23)}`],
    ["leading whitespace", ` ${good}`],
    ["trailing whitespace", `${good}\n`],
    ["a non-Base62 character", `${good.slice(0, -1)}-`],
    ["the prefix in upper case", good.replace(/^[a-z]+_/, (p) => p.toUpperCase())],
  ];
}

export type BadInputCase = [name: string, body: unknown, errors: WireError[]];
