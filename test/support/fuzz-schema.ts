/**
 * Valid request bodies derived from a method's own request schema (the JSON Schema TypeBox emits):
 * objects with their required and optional properties, strings within pattern, length and enum,
 * integers within bounds, booleans, and `type: [T, "null"]`. A schema shape the walker does not
 * know fails loudly, so a new kind of field cannot silently escape the fuzzer.
 */
import fc from "fast-check";

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

function stringArbitrary(schema: JsonSchema, name: string, pool: IdPool): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern, "u");
  // The server refuses NUL in every string (PostgreSQL text cannot hold it), beyond the schema.
  const fits = (s: string) => {
    const n = codePoints(s);
    return n >= min && n <= max && !s.includes("\u0000") && (pattern === undefined || pattern.test(s));
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
  const generated =
    name === "cursor"
      ? fc.oneof({ arbitrary: cursorLike(), weight: 3 }, ...sources).filter(fits)
      : fc.oneof(...sources).filter(fits);
  const real = idPrefixes(schema.pattern).flatMap((prefix) => pool[prefix] ?? []);
  if (real.length === 0) return generated;
  return fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 3 }, { arbitrary: generated, weight: 1 });
}

/** Any value the schema accepts. `name` is the property the value sits under. */
export function validValue(schema: JsonSchema, pool: IdPool, name = ""): fc.Arbitrary<unknown> {
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
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    case "array":
      return fc.array(validValue(schema.items ?? {}, pool, name), { maxLength: 5 });
    case "string":
      return stringArbitrary(schema, name, pool);
    case "integer":
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 });
    case "number":
      return fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    default:
      throw new Error(`the fuzz generator does not know this schema: ${JSON.stringify(schema)}`);
  }
}
