/** The two questions rules ask of a table most often: how many rows, and whether any. */
import { type SelectQueryBuilder, sql } from "kysely";

/** How many rows the query's tables and conditions match. */
export async function countOf<DB, TB extends keyof DB>(
  query: SelectQueryBuilder<DB, TB, object>,
): Promise<number> {
  // The row's type is lost on a builder generic over its table; the one column is known.
  const row = (await query.select(sql<number | string>`count(*)`.as("count")).executeTakeFirstOrThrow()) as {
    count: number | string;
  };
  return Number(row.count);
}

/** Whether the query matches any row; reads at most one. */
export async function anyOf<DB, TB extends keyof DB>(
  query: SelectQueryBuilder<DB, TB, object>,
): Promise<boolean> {
  return (await query.select(sql<number>`1`.as("one")).limit(1).executeTakeFirst()) !== undefined;
}
