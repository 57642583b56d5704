/** Keyset pagination, the one way every list reads a page (wire.md's cursors). */
import { type SelectQueryBuilder, sql } from "kysely";
import type { Page, PageRequest } from "../../domain/records.js";

/**
 * Oldest first, ties broken by ID; one row more than the page, to know whether more follow. The
 * row-value comparison resumes after the previous page's last (created_at, id) on both dialects.
 * `table` names the columns' table, for a query that joins another.
 */
export function keyset<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: PageRequest,
  table?: string,
) {
  const createdAt = sql.ref(table ? `${table}.created_at` : "created_at");
  const id = sql.ref(table ? `${table}.id` : "id");
  const ordered = query
    .orderBy(sql`${createdAt}`)
    .orderBy(sql`${id}`)
    .limit(page.limit + 1);
  const after = page.after;
  return after
    ? ordered.where(sql<boolean>`(${createdAt}, ${id}) > (${after.created_at}, ${after.id})`)
    : ordered;
}

export function toPage<T>(page: PageRequest, rows: T[]): Page<T> {
  return { items: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}
