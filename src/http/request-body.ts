/**
 * The request body, from the raw bytes authentication saw to the object the schema validates.
 * wire.md: one JSON object in UTF-8; bytes that are not UTF-8 and a key given twice are
 * BAD_REQUEST. On the hot path of every create, so each check is the cheapest that is exact:
 * the bytes are validated by `isUtf8` (SIMD) before an ordinary decode, and keys are scanned
 * for duplicates only in text JSON.parse has accepted.
 */
import { isUtf8 } from "node:buffer";
import { badRequest } from "../errors.js";
import type { MethodDefinition } from "../methods/define.js";

/** Whether the request schema requires a parameter; if not, an empty body counts as `{}`. */
export function hasRequiredFields(method: MethodDefinition): boolean {
  const required = (method.request as { required?: string[] }).required;
  return required !== undefined && required.length > 0;
}

/** Parses the raw body into the object the schema then validates. */
export function parseBody(raw: Buffer, method: MethodDefinition): unknown {
  if (raw.length === 0) {
    if (hasRequiredFields(method)) throw badRequest("Request body is required", null);
    return {};
  }
  // Decoding alone would turn each bad sequence into U+FFFD, and that would be stored.
  if (!isUtf8(raw)) throw badRequest("Request body is not valid UTF-8", null);
  const text = raw.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON", null);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("Request body must be a JSON object", null);
  }
  const fault = structureFault(text);
  if (fault !== null) throw badRequest(fault.message, fault.field);
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** Keys an object may have before its duplicate check switches from a linear search to a Set. */
const LINEAR_KEYS = 16;
/**
 * The deepest nesting a body may have (the top-level object is level 1). No method's schema goes
 * past 6; later checks (the string walk, validation errors) recurse, so unbounded depth there
 * would overflow the stack and answer 500 (found by the body fuzz test: 100,000 nested arrays).
 */
export const MAX_BODY_DEPTH = 64;

export interface StructureFault {
  field: string;
  message: string;
}

/**
 * The first structural fault JSON.parse lets through, or null: a key that appears twice in one
 * object (JSON.parse keeps the last copy silently), or a container nested deeper than
 * MAX_BODY_DEPTH. Its field is the dotted path (wire.md's field notation, array items as `[i]`)
 * of the repeated key or of the container that goes too deep.
 * It must be text JSON.parse accepted: then every `"` opens or closes a string (unless escaped)
 * and a string right after `{` or `,` in an object is a key. One pass, no recursion (the depth
 * is unbounded before schema validation), and no allocation per object: the open objects' keys
 * sit in one array, each object's keys contiguous above its parent's, dropped when it closes.
 * Keys are compared decoded, so `"a"` and `"\u0061"` match.
 */
export function structureFault(text: string): StructureFault | null {
  const keys: string[] = [];
  // Per open container, by depth: is it an array, where its keys start, its item index, and the
  // Set a large object switches to.
  const isArray: boolean[] = [];
  const keysStart: number[] = [];
  const itemIndex: number[] = [];
  const keySets: (Set<string> | undefined)[] = [];
  let depth = -1;
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      for (;;) {
        // A quote after an odd run of backslashes is escaped; after an even run it ends the string.
        let run = 0;
        while (text.charCodeAt(end - 1 - run) === BACKSLASH) run++;
        if (run % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (expectKey) {
        expectKey = false;
        const written = text.slice(i + 1, end);
        const key = written.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : written;
        const start = keysStart[depth] as number;
        let set = keySets[depth];
        if (set === undefined && keys.length - start >= LINEAR_KEYS) {
          set = new Set(keys.slice(start));
          keySets[depth] = set;
        }
        if (set ? set.has(key) : keys.indexOf(key, start) !== -1) {
          const field = joinPath(containerPath(depth), key);
          return { field, message: `${field} is given more than once` };
        }
        set?.add(key);
        keys.push(key);
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth + 1 === MAX_BODY_DEPTH) {
        const field = containerPath(depth + 1);
        return { field, message: `${field} nests deeper than ${MAX_BODY_DEPTH} levels` };
      }
      depth++;
      isArray[depth] = c === OPEN_ARRAY;
      keysStart[depth] = keys.length;
      itemIndex[depth] = 0;
      keySets[depth] = undefined;
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      keys.length = keysStart[depth] as number;
      keySets[depth] = undefined;
      depth--;
      expectKey = false;
    } else if (c === COMMA) {
      if (isArray[depth]) itemIndex[depth] = (itemIndex[depth] as number) + 1;
      else expectKey = true;
    }
    i++;
  }
  return null;

  /** The path to the container open at `level`: each parent's current key or item is its last. */
  function containerPath(level: number): string {
    let path = "";
    for (let parent = 0; parent < level; parent++) {
      path = isArray[parent]
        ? `${path}[${itemIndex[parent]}]`
        : joinPath(path, keys[keysEnd(parent) - 1] as string);
    }
    return path;
  }

  /** Where an open object's keys end: where its open child's start, or at the top for the innermost. */
  function keysEnd(level: number): number {
    return level < depth ? (keysStart[level + 1] as number) : keys.length;
  }
}

function joinPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
