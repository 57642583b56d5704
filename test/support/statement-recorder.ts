/**
 * Records the SQL statements this process sends to the real databases while `during` runs: at
 * the drivers themselves (pg's Client#query, better-sqlite3's statement execution), so every
 * round trip shows, whichever layer of the server made it. Statements run by other threads (the
 * SQLite writer thread) are not seen: record an app whose store runs in this thread.
 *
 *   const statements = await recordStatements(() => call(...));
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { SESSION_SETTINGS } from "../../src/store/postgres/postgres-store.js";

type Method = (...args: unknown[]) => unknown;

const sqliteStatement = (() => {
  const db = new BetterSqlite3(":memory:");
  const prototype = Object.getPrototypeOf(db.prepare("select 1")) as Record<string, Method>;
  db.close();
  return prototype;
})();
const SQLITE_EXECUTIONS = ["all", "get", "run", "iterate"] as const;

function textOf(query: unknown): string | undefined {
  if (typeof query === "string") return query;
  if (query && typeof query === "object" && typeof (query as { text?: unknown }).text === "string")
    return (query as { text: string }).text;
  return undefined;
}

export async function recordStatements(during: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const pgQuery = pg.Client.prototype.query as unknown as Method;
  const sqliteOriginals = SQLITE_EXECUTIONS.map((name) => sqliteStatement[name] as Method);
  (pg.Client.prototype as unknown as { query: Method }).query = function (this: unknown, ...args) {
    const text = textOf(args[0]);
    // Sent once on each new connection; which request happens to open one is chance.
    if (text !== undefined && text !== SESSION_SETTINGS) statements.push(text.replace(/\s+/g, " ").trim());
    return pgQuery.apply(this, args);
  };
  SQLITE_EXECUTIONS.forEach((name, i) => {
    sqliteStatement[name] = function (this: { source: string }, ...args: unknown[]) {
      statements.push(this.source.replace(/\s+/g, " ").trim());
      return (sqliteOriginals[i] as Method).apply(this, args);
    };
  });
  try {
    await during();
  } finally {
    (pg.Client.prototype as unknown as { query: Method }).query = pgQuery;
    SQLITE_EXECUTIONS.forEach((name, i) => {
      sqliteStatement[name] = sqliteOriginals[i] as Method;
    });
  }
  return statements;
}
