/**
 * Opaque keyset cursors for list methods. A cursor is the Base64url JSON of the last item's
 * (created_at, id), a dot, and a tag: HMAC-SHA256 over the list that issued it (method name and
 * every filter parameter) and that position, keyed by a key derived from the master key. A cursor
 * therefore answers only the list that issued it: one from another account's list, from the other
 * list method, for another filter, or edited by hand is BAD_REQUEST on `cursor`, never a page of
 * some other list. It is not bound to the credential: any caller who may read the list may carry
 * it on (visibility is checked on every call anyway).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SecretBox } from "../auth/secret-box.js";
import type { Page, PagePosition, PageRequest } from "../domain/records.js";
import { badRequest } from "../errors.js";

const DEFAULT_LIMIT = 1000;
/** 128 bits: unforgeable, and keeps cursors short. */
const TAG_BYTES = 16;
/** What an issued cursor holds; anything else (a NUL, say, that PostgreSQL rejects) never reaches SQL. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = /^[a-z]+_[0-9A-Za-z]{1,22}$/;

/**
 * The cursor key, derived from the master key so it needs no storage of its own. After a master
 * key rotation, cursors issued before it no longer verify: a client restarts its listing.
 */
export function deriveCursorKey(secretBox: Pick<SecretBox, "deriveKey">): Buffer {
  return secretBox.deriveKey("vetted/cursor/v1");
}

/** The list a cursor belongs to: the method and every filter parameter it was called with. */
export interface ListScope {
  method: string;
  filter: Record<string, string>;
}

function tagOf(key: Uint8Array, scope: ListScope, payload: string): string {
  const filter = Object.entries(scope.filter).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac("sha256", key)
    .update(JSON.stringify([scope.method, filter, payload]))
    .digest()
    .subarray(0, TAG_BYTES)
    .toString("base64url");
}

/**
 * A payload with its tag for the list. Exported for the fuzz test, which signs positions no page
 * ever produced so that they get past the tag and reach the database.
 */
export function signCursor(key: Uint8Array, scope: ListScope, payload: string): string {
  return `${payload}.${tagOf(key, scope, payload)}`;
}

function encodeCursor(key: Uint8Array, scope: ListScope, position: PagePosition): string {
  const payload = Buffer.from(JSON.stringify([position.created_at, position.id]), "utf8").toString(
    "base64url",
  );
  return signCursor(key, scope, payload);
}

/** The tag is compared as text, so a character that decodes to the same bytes still fails. */
function hasValidTag(key: Uint8Array, scope: ListScope, payload: string, tag: string): boolean {
  const expected = Buffer.from(tagOf(key, scope, payload), "utf8");
  const given = Buffer.from(tag, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function decodeCursor(key: Uint8Array, scope: ListScope, cursor: string): PagePosition {
  const [payload, tag, ...rest] = cursor.split(".");
  if (
    payload !== undefined &&
    tag !== undefined &&
    rest.length === 0 &&
    hasValidTag(key, scope, payload, tag)
  ) {
    try {
      const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      if (Array.isArray(value) && value.length === 2) {
        const [createdAt, id] = value as unknown[];
        if (
          typeof createdAt === "string" &&
          typeof id === "string" &&
          CURSOR_TIME.test(createdAt) &&
          CURSOR_ID.test(id)
        ) {
          return { created_at: createdAt, id };
        }
      }
    } catch {
      // fall through to the error below
    }
  }
  throw badRequest("cursor is not a cursor this server issued", "cursor");
}

/** Reads and issues the cursors of one list call. */
export function listCursors(key: Uint8Array, scope: ListScope) {
  return {
    pageRequest(body: { limit?: number; cursor?: string }): PageRequest {
      return {
        limit: body.limit ?? DEFAULT_LIMIT,
        after: body.cursor === undefined ? undefined : decodeCursor(key, scope, body.cursor),
      };
    },
    pageResult<T extends { created_at: string; id: string }>(page: Page<T>) {
      const last = page.items[page.items.length - 1];
      return {
        has_more: page.hasMore,
        next_cursor: page.hasMore && last ? encodeCursor(key, scope, last) : null,
      };
    },
  };
}
