/**
 * A metadata entry's `details` judged against its type's definition (data.md §9.2): only defined
 * keys, every required key present, `null` never, `string` values text-1000, `integer` values safe
 * JSON integers, `boolean` values booleans, and each string field's format. Every failure is
 * BAD_REQUEST on `metadata.details.<name>`, all reported together, in the order of the details'
 * keys, then the missing required fields in the definition's order.
 */
import { isIPv6 } from "node:net";
import { ApiError, type WireError } from "../errors.js";
import { isCalendarDate } from "./calendar.js";
import { isEmailAddress } from "./email.js";
import type { MetadataDetailValue, MetadataFieldDefinition, MetadataFieldFormat } from "./metadata-store.js";

interface Issue {
  field: string;
  message: string;
}

const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** RFC 3986: a scheme, a colon, then only URI characters, each `%` starting a valid escape. */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

/** A dotted quad, each part 0–255 without leading zeros (`192.168.00.1` is refused). */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** RFC 4291's text form, `::` compression and a trailing dotted quad allowed, no zone ID. */
export function isIpv6(value: string): boolean {
  return !value.includes("%") && isIPv6(value);
}

/** An absolute URI (RFC 3986) of at most 2,048 characters. */
export function isAbsoluteUri(value: string): boolean {
  return value.length <= 2048 && URI.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value);
}

const FORMATS: Record<MetadataFieldFormat, { check(value: string): boolean; message: string }> = {
  ipv4: { check: isIpv4, message: "must be an IPv4 address, four numbers 0–255 without leading zeros" },
  ipv6: { check: isIpv6, message: "must be an IPv6 address in RFC 4291 text form, without a zone ID" },
  email: { check: isEmailAddress, message: "must be an email address" },
  uri: { check: isAbsoluteUri, message: "must be an absolute URI of at most 2048 characters" },
  date: { check: isCalendarDate, message: "must be a real date YYYY-MM-DD" },
};

/** text-1000: 1–1000 code points, at least one not whitespace, no control characters. */
function isText1000(value: string): boolean {
  const length = [...value].length;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  return length >= 1 && length <= 1000 && /\S/u.test(value) && !/[\u0000-\u001f\u007f]/.test(value);
}

function valueIssue(definition: MetadataFieldDefinition, value: unknown): string | undefined {
  if (value === null) return "must not be null";
  switch (definition.type) {
    case "string":
      if (typeof value !== "string") return "must be a string";
      // A format states the whole rule: `uri` allows 2,048 characters, past text-1000 (docs/data.md).
      if (definition.format) {
        const format = FORMATS[definition.format];
        return format.check(value) ? undefined : format.message;
      }
      return isText1000(value)
        ? undefined
        : "must be 1 to 1000 characters, not only whitespace, with no control characters";
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value)
        ? undefined
        : "must be a JSON integer from -9007199254740991 to 9007199254740991";
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be a JSON boolean";
  }
}

export function metadataDetailsIssues(
  fields: Record<string, MetadataFieldDefinition>,
  details: Record<string, unknown>,
  path: string,
): Issue[] {
  const issues: Issue[] = [];
  for (const [name, value] of Object.entries(details)) {
    const definition = Object.hasOwn(fields, name) ? fields[name] : undefined;
    const message = definition ? valueIssue(definition, value) : "is not a field of this metadata type";
    if (message) issues.push({ field: `${path}.${name}`, message });
  }
  for (const [name, definition] of Object.entries(fields)) {
    if (definition.required && !Object.hasOwn(details, name))
      issues.push({ field: `${path}.${name}`, message: "is required by this metadata type" });
  }
  return issues;
}

/** Throws BAD_REQUEST listing every issue (as the route reports a refine's issues), if any. */
export function assertValidDetails(
  fields: Record<string, MetadataFieldDefinition>,
  details: Record<string, unknown>,
  path: string,
): asserts details is Record<string, MetadataDetailValue> {
  const [first, ...more] = metadataDetailsIssues(fields, details, path).map(
    ({ field, message }): WireError => ({ code: "BAD_REQUEST", message: `${field} ${message}`, field }),
  );
  if (first) throw new ApiError("BAD_REQUEST", { message: first.message, field: first.field, more });
}
