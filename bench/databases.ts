/**
 * The bench's own databases: a SQLite file in a fresh temporary directory, or a throwaway
 * PostgreSQL database (`vetted_bench_<random>`) created beside the admin URL's and dropped with
 * `with (force)` afterwards. Both are migrated by the store adapters from the build (`dist/`).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "../src/config.js";
import type * as OpenModule from "../src/store/open.js";
import { onCleanup } from "./cleanup.js";
import type { DatabaseKind } from "./config.js";
import { distModule } from "./dist.js";

export interface BenchDatabase {
  kind: DatabaseKind;
  /** The `--database` URL for the server and the CLI. */
  url: string;
  target: DatabaseTarget;
  /** A directory for the server's --data-dir (and, for SQLite, the database file). */
  dataDir: string;
  /** Drops the database and removes the directory; safe to call twice. */
  drop(): Promise<void>;
}

/** Runs `fn` on a connection of its own to `url`, closed afterwards. */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(kind: DatabaseKind, adminUrl: string): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `vetted-bench-${kind}-`));
  const removeDir = onCleanup(`remove ${dataDir}`, () =>
    fs.rmSync(dataDir, { recursive: true, force: true }),
  );
  if (kind === "sqlite") {
    const file = path.join(dataDir, "vetted.db");
    return { kind, url: `sqlite:${file}`, target: { kind, path: file }, dataDir, drop: removeDir };
  }
  const name = `vetted_bench_${randomBytes(6).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`create database ${name}`));
  const dropDatabase = onCleanup(`drop database ${name}`, async () => {
    await withClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    target: { kind, url: url.toString() },
    dataDir,
    drop: async () => {
      await dropDatabase();
      await removeDir();
    },
  };
}

/** Applies the migrations with the built adapters, as `vetted serve` would. */
export async function migrateBenchDatabase(database: BenchDatabase): Promise<string[]> {
  const { openStore } = await distModule<typeof OpenModule>("store/open.js");
  const store = openStore(database.target);
  try {
    return await store.migrate();
  } finally {
    await store.close();
  }
}

/** The server's version string, for the record. */
export async function postgresVersion(adminUrl: string): Promise<string> {
  return withClient(adminUrl, async (client) => {
    const result = await client.query<{ server_version: string }>("show server_version");
    return result.rows[0]?.server_version ?? "unknown";
  });
}

/** Workflows of one account (in one state, if given), read straight from the database. */
export async function countWorkflows(
  database: BenchDatabase,
  accountId: string,
  state?: string,
): Promise<number> {
  const query = `select count(*) as n from workflows where account_id = $1${state ? " and state = $2" : ""}`;
  const params = state ? [accountId, state] : [accountId];
  if (database.target.kind === "postgres") {
    return withClient(database.target.url, async (client) => {
      const result = await client.query<{ n: string }>(query, params);
      return Number(result.rows[0]?.n ?? 0);
    });
  }
  const db = new BetterSqlite3(database.target.path, { readonly: true });
  try {
    const row = db.prepare(query.replace(/\$\d/g, "?")).get(...params) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

export function sqliteVersion(): string {
  const db = new BetterSqlite3(":memory:");
  try {
    return (db.prepare("select sqlite_version() as v").get() as { v: string }).v;
  } finally {
    db.close();
  }
}

export interface DatabaseActivity {
  transactions: number;
  rows_inserted: number;
  rows_updated: number;
  rows_deleted: number;
}

/**
 * The bench database's counters from pg_stat_database. Each autocommit statement counts as a
 * transaction. Backends publish their counters when they exit, so read this after the server stopped.
 */
export async function postgresActivity(url: string): Promise<DatabaseActivity> {
  // Our own backend's pending counters are not included; the others have been flushed.
  const result = await withClient(url, (client) =>
    client.query<Record<string, string>>(
      `select xact_commit + xact_rollback as transactions, tup_inserted, tup_updated, tup_deleted
       from pg_stat_database where datname = current_database()`,
    ),
  );
  const row = result.rows[0] ?? {};
  return {
    transactions: Number(row.transactions ?? 0),
    rows_inserted: Number(row.tup_inserted ?? 0),
    rows_updated: Number(row.tup_updated ?? 0),
    rows_deleted: Number(row.tup_deleted ?? 0),
  };
}

/**
 * Checkpoints PostgreSQL has started since its statistics were reset (timed and requested). A
 * checkpoint writes out every dirty buffer and makes each page's next change log the whole page,
 * so a stage that contains one pays for it in CPU and latency: the bench says so beside the stage.
 */
export async function postgresCheckpoints(url: string): Promise<number> {
  const result = await withClient(url, (client) =>
    client.query<{ checkpoints: string }>(
      "select checkpoints_timed + checkpoints_req as checkpoints from pg_stat_bgwriter",
    ),
  );
  return Number(result.rows[0]?.checkpoints ?? 0);
}
