/**
 * A second, independent connection to a test database that fingerprints every table (row count
 * and a digest of all rows), so a fuzz test can prove a rejected request wrote nothing at all.
 */
import { createHash } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { TestDatabase } from "./databases.js";

/** Tables written by design for requests that are then refused: a nonce that passed KSig1. */
export const WRITTEN_BY_DESIGN: ReadonlySet<string> = new Set(["nonces"]);

export type Snapshot = Record<string, { rows: number; digest: string }>;

export interface DatabaseProbe {
  snapshot(): Promise<Snapshot>;
  close(): Promise<void>;
}

function fingerprint(tables: Record<string, unknown[]>): Snapshot {
  const out: Snapshot = {};
  for (const [table, rows] of Object.entries(tables)) {
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    out[table] = { rows: rows.length, digest: createHash("sha256").update(lines.join("\n")).digest("hex") };
  }
  return out;
}

export async function openProbe(database: TestDatabase): Promise<DatabaseProbe> {
  if (database.target.kind === "sqlite") {
    const db = new BetterSqlite3(database.target.path, { readonly: true, fileMustExist: true });
    return {
      async snapshot() {
        const names = db
          .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
          .pluck()
          .all() as string[];
        const tables: Record<string, unknown[]> = {};
        for (const name of names.filter((n) => !WRITTEN_BY_DESIGN.has(n))) {
          tables[name] = db.prepare(`select * from "${name}"`).all();
        }
        return fingerprint(tables);
      },
      async close() {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: database.target.url });
  // The harness drops the database (terminating this connection) before this probe may be closed.
  client.on("error", () => undefined);
  await client.connect();
  // Tables only change by migration, which ran before the probe opened.
  const names = await client.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  );
  // One round trip: each table's row count and a digest of its rows in a fixed order.
  const query = names.rows
    .map((row) => row.table_name)
    .filter((name) => !WRITTEN_BY_DESIGN.has(name))
    .map(
      (name) =>
        `select '${name}' as name, count(*)::int as rows, ` +
        `coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') as digest from "${name}" t`,
    )
    .join(" union all ");
  return {
    async snapshot() {
      const result = await client.query<{ name: string; rows: number; digest: string }>(query);
      return Object.fromEntries(result.rows.map((r) => [r.name, { rows: r.rows, digest: r.digest }]));
    },
    async close() {
      await client.end();
    },
  };
}
