/**
 * How every Vetted thread opens a SQLite file (src/store/sqlite/connection.ts): the settings the
 * durability and performance promises rest on, read back from SQLite itself.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { openSqliteConnection, SQLITE_PAGE_SIZE } from "../src/store/sqlite/connection.js";
import { tempDir } from "./support/databases.js";

const dir = tempDir("vetted-sqlite-connection-");
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function pragma(file: string, name: string): Promise<unknown> {
  const db = openSqliteConnection(file);
  try {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(
      db,
    );
    return Object.values(rows[0] ?? {})[0];
  } finally {
    await db.destroy();
  }
}

describe("SQLite connections", () => {
  it("a new database gets WAL, synchronous=FULL, foreign keys and 2 KiB pages", async () => {
    const file = path.join(dir, "new.db");
    const db = openSqliteConnection(file);
    await sql`create table t (id text primary key)`.execute(db);
    await db.destroy();
    assert.equal(SQLITE_PAGE_SIZE, 2048);
    assert.equal(await pragma(file, "page_size"), 2048);
    assert.equal(await pragma(file, "journal_mode"), "wal");
    assert.equal(await pragma(file, "synchronous"), 2); // FULL
    assert.equal(await pragma(file, "foreign_keys"), 1);
  });

  it("an existing database keeps its page size, and its data", async () => {
    const file = path.join(dir, "existing.db");
    const raw = new BetterSqlite3(file);
    raw.pragma("page_size = 4096");
    raw.exec("create table t (id text primary key); insert into t values ('kept')");
    raw.close();
    const db = openSqliteConnection(file);
    const { rows } = await sql<{ id: string }>`select id from t`.execute(db);
    await db.destroy();
    assert.deepEqual(rows, [{ id: "kept" }]);
    assert.equal(await pragma(file, "page_size"), 4096);
  });
});
