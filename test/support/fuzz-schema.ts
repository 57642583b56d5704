/**
 * Valid request bodies derived from a method's own request schema (the JSON Schema TypeBox emits):
 * objects with their required and optional properties, strings within pattern, length and enum,
 * integers within bounds, booleans, and `type: [T, "null"]`. A schema shape the walker does not
 * know fails loudly, so a new kind of field cannot silently escape the fuzzer.
 */
import fc from "fast-check";
import { COUNTRY_CODES, US_STATE_CODES } from "../../src/domain/places.js";
import { VALUE_FORMATS } from "../../src/methods/formats/index.js";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  format?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  /** A record's keys (TypeBox `Type.Record`): metadata fields and details. */
  patternProperties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
}

/** Real IDs by prefix (`sb_`, `sr_`, `w_`, …), substituted now and then so deeper code paths run. */
export type IdPool = Record<string, readonly string[]>;

/** Longest generated string where the schema allows more (huge strings are a mutation). */
const ORDINARY_STRING_LIMIT = 64;

/** Length as ajv counts it: code points (a surrogate pair is one, a lone surrogate is one). */
export function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** The prefixes of an ID pattern such as `^(sb_|lv_)[0-9A-Za-z]{1,22}$`, else none. */
function idPrefixes(pattern: string | undefined): string[] {
  const match = pattern ? /^\^\(([A-Za-z_|]+)\)\[0-9A-Za-z\]/.exec(pattern) : null;
  return match?.[1] ? match[1].split("|") : [];
}

/**
 * Cursor payloads that decode to the shape an issued one has (a time and an ID), now and then with
 * odd contents; the fuzz test signs them for their list (`signCursor`), so list methods reach the
 * database with values no page ever produced.
 */
function cursorLike(): fc.Arbitrary<string> {
  const time = fc
    .date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2100-01-01T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString());
  const id = fc.stringMatching(/^(sr|w)_[0-9A-Za-z]{1,22}$/);
  const odd = fc.string({ unit: "binary", maxLength: 30 });
  return fc
    .oneof({ arbitrary: fc.tuple(time, id), weight: 4 }, fc.tuple(fc.oneof(time, odd), fc.oneof(id, odd)))
    .map((pair) => Buffer.from(JSON.stringify(pair), "utf8").toString("base64url"))
    .filter((c) => c.length <= 512);
}

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Values of each Vetted format (src/methods/formats/rules.ts) the server accepts. A cross-field
 * rule may still refuse them (a declaration's `refine`); the fuzz test expects exactly those.
 */
const FORMAT_VALUES: Record<string, () => fc.Arbitrary<string>> = {
  "us-phone": () =>
    fc
      .stringMatching(/^[2-9][0-8][02-9][2-9][02-9][0-9]{5}$/)
      .filter((v) => VALUE_FORMATS["us-phone"].check(v)),
  "tax-id": () => fc.stringMatching(/^[0-9]{9}$/),
  // A day or more inside the bounds, so a request crossing midnight still passes.
  "date-of-birth": () =>
    fc.integer({ min: 1, max: 365 * 129 }).map((days) => utcDay(Date.now() - days * DAY_MS)),
  "year-month": () =>
    fc
      .integer({ min: Date.UTC(1900, 0, 1), max: Date.now() - 31 * DAY_MS })
      .map((ms) => utcDay(ms).slice(0, 7)),
  "routing-number": () => fc.constantFrom("011000015", "021000021", "121000358", "026009593", "111000025"),
  "bank-account-number": () => fc.stringMatching(/^[0-9]{4,17}$/),
  "web-url": () => fc.webUrl({ size: "small" }).filter((v) => VALUE_FORMATS["web-url"].check(v)),
  country: () => fc.constantFrom(...COUNTRY_CODES),
  "us-state": () => fc.constantFrom(...US_STATE_CODES),
  // US shapes: a postal code is judged by its address's country, absent or US in most bodies.
  "postal-code": () => fc.stringMatching(/^[0-9]{5}(-[0-9]{4})?$/),
  "enum-token": () => fc.stringMatching(/^[A-Z][A-Z0-9_]{0,49}$/),
  "document-file-name": () =>
    fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9 ._-]{1,40}$/),
        fc.constantFrom("pdf", "PDF", "jpg", "jpeg", "png"),
      )
      .map(([stem, extension]) => `${stem}.${extension}`),
  mcc: () => fc.stringMatching(/^[0-9]{4}$/),
  "field-name": () => fc.stringMatching(/^[a-z][a-z0-9_]{0,63}$/),
  "issued-number": () => fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 -]{0,48}[A-Za-z0-9]$/),
};

function stringArbitrary(schema: JsonSchema, name: string, pool: IdPool): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  const format = schema.format;
  if (format !== undefined && format !== "text") {
    const values = FORMAT_VALUES[format];
    if (!values) throw new Error(`the fuzz generator does not know the format ${format}`);
    return values();
  }
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern, "u");
  // The server refuses NUL in every string (PostgreSQL text cannot hold it), beyond the schema.
  const fits = (s: string) => {
    const n = codePoints(s);
    return (
      n >= min &&
      n <= max &&
      !s.includes("\u0000") &&
      (pattern === undefined || pattern.test(s)) &&
      (format === undefined || VALUE_FORMATS.text.check(s))
    );
  };
  const limit = Math.max(min, Math.min(max, ORDINARY_STRING_LIMIT));
  const sources: fc.Arbitrary<string>[] = [
    fc.string({ unit: "binary", minLength: min, maxLength: limit }),
    fc.string({ unit: "grapheme", minLength: min, maxLength: limit }),
  ];
  // fast-check cannot generate from lookaheads (the email pattern's length and last-label checks):
  // generate from the pattern without them, and let `fits` keep what the whole pattern accepts.
  if (schema.pattern !== undefined) {
    sources.push(fc.stringMatching(new RegExp(schema.pattern.replace(/\(\?[=!][^()]*\)/g, ""), "u")));
  }
  // A URL's pattern fixes only its scheme, and strings after it are rarely URLs the handler takes
  // (a webhook endpoint's host and credentials rules): real https URLs reach past them.
  const likely =
    name === "cursor"
      ? cursorLike()
      : schema.pattern?.startsWith("^https?://")
        ? fc.webUrl({ validSchemes: ["https"], size: "small" })
        : undefined;
  const generated = (
    likely ? fc.oneof({ arbitrary: likely, weight: 3 }, ...sources) : fc.oneof(...sources)
  ).filter(fits);
  const real = idPrefixes(schema.pattern).flatMap((prefix) => pool[prefix] ?? []);
  if (real.length === 0) return generated;
  return fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 3 }, { arbitrary: generated, weight: 1 });
}

/** Any value the schema accepts. `name` is the property the value sits under. */
export function validValue(schema: JsonSchema, pool: IdPool, name = ""): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((option) => validValue(option, pool, name)));
  const [keyPattern, valueSchema] = Object.entries(schema.patternProperties ?? {})[0] ?? [];
  if (keyPattern !== undefined && valueSchema !== undefined && schema.properties === undefined) {
    return fc.dictionary(fc.stringMatching(new RegExp(keyPattern, "u")), validValue(valueSchema, pool), {
      minKeys: schema.minProperties ?? 0,
      // Few keys: each may carry a cross-field refusal (a format on a non-string metadata field).
      maxKeys: Math.min(2, schema.maxProperties ?? 2),
    });
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 1) {
    return fc.oneof(
      ...types.map((type) =>
        type === "null" ? fc.constant(null) : validValue({ ...schema, type }, pool, name),
      ),
    );
  }
  switch (types[0]) {
    case "object": {
      const properties = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(properties)) model[key] = validValue(child, pool, key);
      const record = fc.record(model, { requiredKeys: schema.required ?? [] });
      const minProperties = schema.minProperties ?? 0;
      return minProperties === 0 ? record : record.filter((r) => Object.keys(r).length >= minProperties);
    }
    case "array":
      return fc.array(validValue(schema.items ?? {}, pool, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(5, schema.maxItems ?? 5),
      });
    case "string":
      return stringArbitrary(schema, name, pool);
    case "integer":
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 });
    case "number":
      if (schema.format === "money") {
        // Whole cents over 100: the shortest decimal form has at most 2 places.
        const cents = (bound: number | undefined) =>
          bound === undefined ? undefined : Math.round(bound * 100);
        return fc
          .integer({ min: cents(schema.minimum) ?? 0, max: cents(schema.maximum) ?? 2 ** 31 })
          .map((c) => c / 100);
      }
      if (schema.format !== undefined)
        throw new Error(`the fuzz generator does not know the format ${schema.format}`);
      return fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    default:
      throw new Error(`the fuzz generator does not know this schema: ${JSON.stringify(schema)}`);
  }
}
