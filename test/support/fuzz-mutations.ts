/**
 * Hostile request bodies made from valid ones: dropped, added and renamed fields (prototype keys
 * included), wrong types, huge and odd-unicode strings, deep nesting, number literals JSON.stringify
 * cannot write, duplicate keys, and raw bytes (invalid UTF-8, truncated JSON, non-objects). Bodies
 * are serialized by hand so the exact bytes — duplicate keys, `-0`, `1e309` — reach the server.
 */
import fc from "fast-check";
import { type IdPool, type JsonSchema, validValue } from "./fuzz-schema.js";

/** JSON text inserted verbatim where a value goes. */
class RawJson {
  constructor(readonly text: string) {}
}

/** Extra `"key": value` members written before or after an object's own (JSON.parse keeps the last). */
const DUPLICATES = Symbol("duplicates");
type Duplicate = { key: string; value: unknown; before: boolean };
type Node = Record<string, unknown> & { [DUPLICATES]?: Duplicate[] };

function isObject(value: unknown): value is Node {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof RawJson);
}

/** Sets an own property even for `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(target: Node, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function serialize(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(",")}]`;
  if (isObject(value)) {
    const member = (key: string, v: unknown) => `${JSON.stringify(key)}:${serialize(v)}`;
    const dupes = value[DUPLICATES] ?? [];
    return `{${[
      ...dupes.filter((d) => d.before).map((d) => member(d.key, d.value)),
      ...Object.keys(value).map((key) => member(key, value[key])),
      ...dupes.filter((d) => !d.before).map((d) => member(d.key, d.value)),
    ].join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

type Path = (string | number)[];

function nodesOf(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const here = [{ path, value }];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => nodesOf(v, [...path, i])));
  if (isObject(value)) return here.concat(Object.keys(value).flatMap((k) => nodesOf(value[k], [...path, k])));
  return here;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return [...value];
  if (!isObject(value)) return value;
  const out: Node = {};
  for (const key of Object.keys(value)) setOwn(out, key, value[key]);
  out[DUPLICATES] = [...(value[DUPLICATES] ?? [])];
  return out;
}

/** A copy of root with the node at path replaced by edit(node); shared structure is never mutated. */
function editAt(root: unknown, path: Path, edit: (node: unknown) => unknown): unknown {
  if (path.length === 0) return edit(root);
  const [head, ...rest] = path as [string | number, ...Path];
  const out = copy(root) as Node;
  setOwn(out, String(head), editAt(out[head as string], rest, edit));
  return out;
}

// biome-ignore format: a table reads better packed
const SPECIAL_STRINGS = [
  "", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83d", "\ud83d\ude00", "𝕏", "\u202Eevil\u202C",
  "\u200F", "\uFEFF", "e\u0301", "\u2028\u2029", "\uFFFF", "\uFFFE", "سلام", "\t\r\n", "\\", '"', "null",
  "NaN", "Infinity", "-0", "1e309", "true", "__proto__", "'; drop table workflows; --", "%s%n", "{{7*7}}",
];

/** Numbers JSON.stringify cannot write: overflow to Infinity, negative zero, beyond 2^53, 1e3 for 1000. */
const numberLiteral = fc
  .constantFrom(
    ..."1e309 -1e309 -0 -0.0 1e-400 1E3 1.0 1000.0000000000001 0.1e1 9007199254740993 1e30 -1 1001".split(
      " ",
    ),
  )
  .map((text) => new RawJson(text));

const hugeString = fc
  .tuple(
    fc.constantFrom("a", "é", "😀", "\u0000", "\ud800", " ", "\\"),
    fc.integer({ min: 1_000, max: 100_000 }),
  )
  .map(([unit, n]) => unit.repeat(Math.floor(n / unit.length)));

/** Nesting far deeper than any schema, still under the 1 MiB body limit. */
const deepNesting = fc
  .tuple(fc.constantFrom("array", "object", "mixed"), fc.integer({ min: 1_000, max: 120_000 }))
  .map(([shape, depth]) => {
    const [open, close] =
      shape === "array" ? ["[", "]"] : shape === "object" ? ['{"a":', "}"] : ['[{"__proto__":', "}]"];
    return new RawJson(open.repeat(depth) + (shape === "array" ? "" : "1") + close.repeat(depth));
  });

const oddString = fc.oneof(
  fc.constantFrom(...SPECIAL_STRINGS),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);

/** Something of (usually) the wrong type for wherever it lands. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53, [], {}, [null], { polluted: true }),
  fc.integer(),
  fc.double(),
  oddString,
  hugeString,
  numberLiteral,
  deepNesting,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    new RawJson('{"__proto__":{"polluted":true}}'),
    new RawJson('{"constructor":{"prototype":{"polluted":true}}}'),
  ),
);

/** Keys no schema has: prototype keys, mass-assignment candidates, odd text. */
const unknownKey = fc.oneof(
  fc.constantFrom(
    ...["__proto__", "constructor", "prototype", "polluted", "toString", "valueOf", "hasOwnProperty"],
    ...["__defineGetter__", "", " ", "a.b", "$ref", "0", "id", "state", "created_at", "organization_id"],
    ...["read_only", "email_claim", "ended_at"],
  ),
  oddString,
);

/** Near-misses of a real key: case, whitespace, NUL, a look-alike letter. */
function renamed(key: string, how: number): string {
  const variants = [
    key.toUpperCase(),
    `${key} `,
    ` ${key}`,
    `${key}\u0000`,
    key.replace(/a/, "а"),
    `${key}_`,
  ];
  return variants[how % variants.length] as string;
}

type Mutation =
  | { kind: "drop" | "rename"; at: number; key: number; how: number }
  | { kind: "add"; at: number; key: string; value: unknown }
  | { kind: "duplicate"; at: number; key: number; value: unknown; before: boolean }
  | { kind: "replace"; at: number; value: unknown }
  | { kind: "wrap"; at: number; before: string; after: string };

const at = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("drop" as const), at, key: fc.nat(), how: fc.nat() }),
  fc.record({ kind: fc.constant("rename" as const), at, key: fc.nat(), how: fc.nat() }),
  fc.record({ kind: fc.constant("add" as const), at, key: unknownKey, value: junk }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at,
    key: fc.nat(),
    value: junk,
    before: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("replace" as const), at, value: junk }),
  fc.record({ kind: fc.constant("wrap" as const), at, before: oddString, after: oddString }),
);

function apply(root: unknown, m: Mutation): unknown {
  const all = nodesOf(root);
  const objects = all.filter((n) => isObject(n.value));
  if (m.kind === "replace" || m.kind === "wrap") {
    const leaves = m.kind === "wrap" ? all.filter((n) => typeof n.value === "string") : all.slice(1);
    const target = leaves[m.at % Math.max(leaves.length, 1)];
    if (!target) return root;
    return editAt(root, target.path, (node) =>
      m.kind === "wrap" ? `${m.before}${node as string}${m.after}` : m.value,
    );
  }
  const target = objects[m.at % objects.length];
  if (!target) return root;
  return editAt(root, target.path, (node) => {
    const out = copy(node) as Node;
    if (m.kind === "add") {
      setOwn(out, m.key, m.value);
      return out;
    }
    const keys = Object.keys(out);
    const key = keys[m.key % Math.max(keys.length, 1)];
    if (key === undefined) return out;
    if (m.kind === "duplicate") {
      out[DUPLICATES]?.push({ key, value: m.value, before: m.before });
      return out;
    }
    const value = out[key];
    delete out[key];
    if (m.kind === "rename") setOwn(out, renamed(key, m.how), value);
    return out;
  });
}

// biome-ignore format: a table reads better packed
const BAD_UTF8 = [
  [0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80],
];
// biome-ignore format: a table reads better packed
const NOT_AN_OBJECT = [
  "", " ", "[]", "null", "true", "1", '"x"', "{", "}", "[{}]", "\uFEFF{}", "{}{}", '{"a":1,}', "{'a':1}",
  "NaN", '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
];

/** Raw byte bodies made from a valid body's text. */
function rawBody(text: fc.Arbitrary<string>): fc.Arbitrary<{ note: string; bytes: Buffer }> {
  return fc.oneof(
    fc.tuple(text, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })).map(([t, r]) => {
      const bytes = Buffer.from(t, "utf8");
      return { note: "truncated", bytes: bytes.subarray(0, Math.floor(r * bytes.length)) };
    }),
    fc.tuple(text, fc.nat(), fc.constantFrom(...BAD_UTF8)).map(([t, pos, bad]) => {
      const bytes = Buffer.from(t, "utf8");
      const cut = pos % (bytes.length + 1);
      return {
        note: "invalid UTF-8",
        bytes: Buffer.concat([bytes.subarray(0, cut), Buffer.from(bad), bytes.subarray(cut)]),
      };
    }),
    fc.tuple(text, fc.constantFrom("\uFEFF", " \t\r\n", "x", "null", "{}")).map(([t, extra]) => ({
      note: "padded",
      bytes: Buffer.from(extra === "\uFEFF" ? extra + t : t + extra, "utf8"),
    })),
    fc.constantFrom(...NOT_AN_OBJECT).map((t) => ({ note: "not an object", bytes: Buffer.from(t, "utf8") })),
  );
}

/** One body to send: its bytes and how it was made (shown when a property fails). */
export class FuzzBody {
  constructor(
    readonly kind: "valid" | "mutated" | "raw",
    readonly note: string,
    readonly bytes: Buffer,
  ) {}
  [fc.toStringMethod](): string {
    const text = this.bytes.toString("utf8");
    const shown = text.length > 300 ? `${text.slice(0, 300)}… (${this.bytes.length} bytes)` : text;
    return `FuzzBody(${this.kind}, ${this.note}, ${JSON.stringify(shown)})`;
  }
}

/**
 * Valid, mutated and raw bodies for one request schema. `prepare` finishes each valid value
 * before it is mutated or sent (the fuzz test signs list cursors for their list with it).
 */
export function fuzzBodies(
  schema: JsonSchema,
  pool: IdPool,
  prepare: (value: unknown) => unknown = (value) => value,
): fc.Arbitrary<FuzzBody> {
  const valid = validValue(schema, pool).map(prepare);
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((v) => new FuzzBody("valid", "", Buffer.from(serialize(v), "utf8"))) },
    {
      weight: 5,
      arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => {
        const note = ms.map((m) => m.kind).join("+");
        return new FuzzBody("mutated", note, Buffer.from(serialize(ms.reduce(apply, v)), "utf8"));
      }),
    },
    {
      weight: 2,
      arbitrary: rawBody(valid.map(serialize)).map((r) => new FuzzBody("raw", r.note, r.bytes)),
    },
  );
}
