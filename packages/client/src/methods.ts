/**
 * The method types the client is typed by, read from the generated OpenAPI types
 * (methods.gen.ts): a method's request body, the `data` of its success, and which methods list.
 */
import {
  ERROR_CODES,
  LIST_ITEMS_KEYS,
  METHOD_NAMES,
  type operations,
  UNAUTHENTICATED_METHODS,
  WRITE_METHODS,
} from "./methods.gen.js";

export { ERROR_CODES, LIST_ITEMS_KEYS, METHOD_NAMES, UNAUTHENTICATED_METHODS, WRITE_METHODS };

export type MethodName = (typeof METHOD_NAMES)[number];
export type WriteMethodName = (typeof WRITE_METHODS)[number];
export type ListMethodName = keyof typeof LIST_ITEMS_KEYS;

type JsonBody<T> = T extends { content: { "application/json": infer B } } ? B : never;

/** The request body; a method that declares none takes `{}`. */
export type RequestOf<N extends MethodName> = operations[N] extends { requestBody: infer R }
  ? JsonBody<R>
  : Record<string, never>;

/** The `data` of a success. */
export type ResponseOf<N extends MethodName> =
  JsonBody<operations[N]["responses"][200]> extends {
    data: infer D;
  }
    ? D
    : never;

/** One item of a list method's array. */
export type ListItemOf<N extends ListMethodName> =
  ResponseOf<N> extends Record<(typeof LIST_ITEMS_KEYS)[N], ReadonlyArray<infer Item>> ? Item : never;

const WRITES: ReadonlySet<string> = new Set(WRITE_METHODS);
const UNSIGNED: ReadonlySet<string> = new Set(UNAUTHENTICATED_METHODS);

export function isWriteMethod(method: string): boolean {
  return WRITES.has(method);
}

export function isUnauthenticatedMethod(method: string): boolean {
  return UNSIGNED.has(method);
}
