/**
 * The single-value formats of data.md §2.4, as named checks with the message a refusal carries.
 * They are registered once as ajv formats (`registerValueFormats`, called where the app configures
 * ajv), so a schema says `format: "us-phone"` and a refusal comes out as BAD_REQUEST on the
 * field's own path. The date formats read the app's clock at validation time. Names must differ
 * from ajv-formats' (`url`, `date`, `email`, …), which Fastify adds after our plugin and would win.
 */
import { isDateOfBirth, isPastYearMonth } from "../../domain/calendar.js";
import type { Clock } from "../../domain/clock.js";
import { DOCUMENT_FILE_TYPES } from "../../domain/enums.js";
import { COUNTRY_CODES, US_STATE_CODES } from "../../domain/places.js";

interface ValueFormat {
  /** The JSON type the format applies to; values of other types pass it (the `type` keyword judges them). */
  type: "string" | "number";
  /** Completes "<field> …" in the error message. */
  message: string;
  check(value: never, now: () => Date): boolean;
}

/** U+0000–U+001F or U+007F anywhere in the string. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}
/**
 * Printable (no C0, DEL or C1 control character) and no whitespace at either end; the length
 * (1–50 code points) is the schema's.
 */
function isIssuedNumber(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return !/^\s|\s$/u.test(value);
}

const US_PHONE = /^[2-9][0-9]{2}[2-9][0-9]{6}$/;

function isDocumentFileName(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[/\\\u0000-\u001f\u007f-\u009f]/.test(value)) return false;
  const dot = value.lastIndexOf(".");
  return dot >= 0 && (DOCUMENT_FILE_TYPES as readonly string[]).includes(value.slice(dot + 1).toLowerCase());
}

function isUsPhone(value: string): boolean {
  if (!US_PHONE.test(value)) return false;
  const area = value.slice(0, 3);
  const exchange = value.slice(3, 6);
  // NANP: N9X area codes are reserved; N11 are service codes, in the area code and the exchange.
  return area[1] !== "9" && area.slice(1) !== "11" && exchange.slice(1) !== "11";
}

function isRoutingNumber(value: string): boolean {
  if (!/^[0-9]{9}$/.test(value) || value === "000000000") return false;
  // 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10)
  const weights = [3, 7, 1] as const;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (weights[i % 3] ?? 0);
  return sum % 10 === 0;
}

/**
 * An absolute http(s) URL of at most 2,048 characters whose host has a dot, without user-info.
 * Judged on the string as sent: the WHATWG parser would quietly strip whitespace and tabs.
 */
function isWebUrl(value: string): boolean {
  if (value.length > 2048 || /\s/u.test(value) || hasControl(value)) return false;
  if (!/^https?:\/\//i.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "") return false;
  return /^[^.]+(\.[^.]+)+\.?$/.test(url.hostname);
}

/**
 * At most two decimal places, judged on the number's shortest decimal form (what the client
 * wrote, up to trailing zeros): `0.29` passes although 0.29 × 100 is not an integer in binary.
 * Numbers below 1e-6 print in exponent form and are refused, as they have more than two places.
 */
function hasTwoDecimals(value: number): boolean {
  return /^[0-9]+(\.[0-9]{1,2})?$/.test(String(value));
}

export const VALUE_FORMATS = {
  text: {
    type: "string",
    message: "must contain a character other than whitespace and no control characters",
    check: (value: string) => /\S/u.test(value) && !hasControl(value),
  },
  "us-phone": {
    type: "string",
    message: "must be a 10-digit US phone number (NANP area code and exchange), digits only",
    check: isUsPhone,
  },
  "tax-id": {
    type: "string",
    message: "must be 9 digits with no dashes",
    check: (value: string) => /^[0-9]{9}$/.test(value),
  },
  "date-of-birth": {
    type: "string",
    message: "must be a real date YYYY-MM-DD, not after today and not more than 130 years before it",
    check: (value: string, now: () => Date) => isDateOfBirth(value, now()),
  },
  "year-month": {
    type: "string",
    message: "must be a month YYYY-MM from 1900-01 to the current month",
    check: (value: string, now: () => Date) => isPastYearMonth(value, now()),
  },
  "routing-number": {
    type: "string",
    message: "must be a 9-digit ABA routing number with a valid check digit",
    check: isRoutingNumber,
  },
  "bank-account-number": {
    type: "string",
    message: "must be 4 to 17 digits",
    check: (value: string) => /^[0-9]{4,17}$/.test(value),
  },
  money: {
    type: "number",
    message: "must have at most 2 decimal places",
    check: hasTwoDecimals,
  },
  "web-url": {
    type: "string",
    message:
      "must be an absolute http:// or https:// URL of at most 2048 characters, with a dotted host and no user name or password",
    check: isWebUrl,
  },
  country: {
    type: "string",
    message: "must be an ISO 3166-1 alpha-2 country code in upper case, such as US or GB",
    check: (value: string) => COUNTRY_CODES.has(value),
  },
  "us-state": {
    type: "string",
    message: "must be a USPS state code in upper case (the 50 states, DC, AS, GU, MP, PR, VI)",
    check: (value: string) => US_STATE_CODES.has(value),
  },
  "postal-code": {
    type: "string",
    message: "must be 1 to 10 letters, digits, spaces or hyphens, starting with a letter or digit",
    check: (value: string) => /^[A-Za-z0-9][A-Za-z0-9 -]{0,9}$/.test(value),
  },
  "enum-token": {
    type: "string",
    message: "must be an upper-case token: a letter, then up to 49 letters, digits or underscores",
    check: (value: string) => /^[A-Z][A-Z0-9_]{0,49}$/.test(value),
  },
  mcc: {
    type: "string",
    message: "must be a 4-digit merchant category code",
    check: (value: string) => /^[0-9]{4}$/.test(value),
  },
  "field-name": {
    type: "string",
    message: "must be a lower-case name: a letter, then up to 63 letters, digits or underscores",
    check: (value: string) => /^[a-z][a-z0-9_]{0,63}$/.test(value),
  },
  "issued-number": {
    type: "string",
    message: "must be printable characters with no control characters and no leading or trailing whitespace",
    check: isIssuedNumber,
  },
  // data.md §10.2: the extension decides the stored Content-Type; a path separator could escape
  // the documents directory on SQLite.
  "document-file-name": {
    type: "string",
    message: `must end in one of ${DOCUMENT_FILE_TYPES.map((t) => `.${t}`).join(", ")}, without /, \\ or control characters`,
    check: isDocumentFileName,
  },
} satisfies Record<string, ValueFormat>;

export type ValueFormatName = keyof typeof VALUE_FORMATS;

/** The message for a refused value of a Vetted format, for validation-errors.ts. */
export function formatMessage(name: string): string | undefined {
  return (VALUE_FORMATS as Record<string, ValueFormat>)[name]?.message;
}

/** The part of an ajv instance this needs (ajv is Fastify's, not a dependency of ours). */
interface FormatHost {
  addFormat(
    name: string,
    format:
      | { type: "string"; validate(value: string): boolean }
      | { type: "number"; validate(value: number): boolean },
  ): unknown;
}

/** An ajv plugin adding every Vetted format, its dates judged by `clock`; returns `ajv`. */
export function registerValueFormats<Host extends FormatHost>(ajv: Host, clock: Clock): Host {
  const now = () => clock.now();
  for (const [name, format] of Object.entries(VALUE_FORMATS) as [string, ValueFormat][]) {
    const validate = (value: string | number) => format.check(value as never, now);
    ajv.addFormat(
      name,
      format.type === "string" ? { type: "string", validate } : { type: "number", validate },
    );
  }
  return ajv;
}
