/**
 * Reads a test database directly with plain SQL, past the store and the API, for tests that must
 * check what is really stored (the rule indexes held, no orphan rows). Placeholders are written
 * `$1, $2, …` and passed as parameters on both databases.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { TestDatabase } from "./databases.js";

export async function queryRows<T = Record<string, unknown>>(
  database: TestDatabase,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (database.target.kind === "sqlite") {
    const db = new BetterSqlite3(database.target.path, { readonly: true, timeout: 5000 });
    try {
      // SQLite numbers `?` by position; the $n placeholders here are always used in order.
      return db.prepare(text.replace(/\$\d+/g, "?")).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.target.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
