/**
 * Reads a test database directly with plain SQL, past the store and the API, for tests that must
 * check what is really stored (the rule indexes held, no orphan rows), or write rows no API method
 * writes. Placeholders are written
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

/** Runs statements in order on a test database past the store (foreign keys enforced on SQLite too). */
export async function executeSql(database: TestDatabase, statements: [string, unknown[]][]): Promise<void> {
  if (database.target.kind === "sqlite") {
    const db = new BetterSqlite3(database.target.path, { timeout: 5000 });
    try {
      db.pragma("foreign_keys = ON");
      for (const [text, params] of statements) db.prepare(text.replace(/\$\d+/g, "?")).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.target.url });
  await client.connect();
  try {
    for (const [text, params] of statements) await client.query(text, params);
  } finally {
    await client.end();
  }
}
