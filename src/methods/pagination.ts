/** Opaque keyset cursors for list methods: Base64url of the last item's (created_at, id). */
import type { Page, PagePosition, PageRequest } from "../domain/records.js";
import { badRequest } from "../errors.js";

const DEFAULT_LIMIT = 1000;
/** What an issued cursor holds; anything else (a NUL, say, that PostgreSQL rejects) never reaches SQL. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = /^[a-z]+_[0-9A-Za-z]{1,22}$/;

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.created_at, position.id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): PagePosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
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
  throw badRequest("cursor is not a cursor this server issued", "cursor");
}

export function pageRequest(body: { limit?: number; cursor?: string }): PageRequest {
  return {
    limit: body.limit ?? DEFAULT_LIMIT,
    after: body.cursor === undefined ? undefined : decodeCursor(body.cursor),
  };
}

export function pageResult<T extends { created_at: string; id: string }>(page: Page<T>) {
  const last = page.items[page.items.length - 1];
  return {
    has_more: page.hasMore,
    next_cursor: page.hasMore && last ? encodeCursor(last) : null,
  };
}
