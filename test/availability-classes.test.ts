/**
 * Which real driver errors count as "the database cannot serve now" (503) and which stay bugs
 * (500): errors raised by real SQLite files and, when VETTED_TEST_DATABASE_URL is set, by the real
 * PostgreSQL server — one of each kind src/store/availability.ts classifies.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { isDatabaseUnavailable } from "../src/store/availability.js";
import { createTestDatabase, postgresAdminUrl, tempDir } from "./support/databases.js";

function caught(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  assert.fail("expected an error");
}

async function caughtAsync(work: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await work();
  } catch (error) {
    return error as Error;
  }
  assert.fail("expected an error");
}

describe("database errors: outage or bug [sqlite]", () => {
  it("a file that cannot be opened is an outage; a damaged one and a bad statement are bugs", () => {
    const dir = tempDir("vetted-availability-");
    try {
      // A directory where the database file should be: SQLite cannot open it.
      const cannotOpen = caught(() => new BetterSqlite3(dir));
      assert.equal((cannotOpen as { code?: string }).code, "SQLITE_CANTOPEN");
      assert.equal(isDatabaseUnavailable(cannotOpen), true);

      const garbage = path.join(dir, "garbage.db");
      fs.writeFileSync(garbage, Buffer.alloc(4096, 0x5a));
      const db = new BetterSqlite3(garbage);
      const notADatabase = caught(() => db.prepare("select 1 from sqlite_master").all());
      db.close();
      assert.equal((notADatabase as { code?: string }).code, "SQLITE_NOTADB");
      assert.equal(isDatabaseUnavailable(notADatabase), false);

      const memory = new BetterSqlite3(":memory:");
      const noTable = caught(() => memory.prepare("select * from nowhere").all());
      memory.close();
      assert.equal(isDatabaseUnavailable(noTable), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("database errors: outage or bug [postgres]", {
  skip: postgresAdminUrl() ? undefined : "VETTED_TEST_DATABASE_URL is not set",
}, () => {
  const adminUrl = postgresAdminUrl() as string;

  it("a session refused while connecting is an outage, whatever its code", async () => {
    const url = new URL(adminUrl);
    url.pathname = "/vetted_no_such_database";
    const client = new pg.Client({ connectionString: url.toString() });
    const refused = await caughtAsync(() => client.connect());
    assert.equal(refused.code, "3D000");
    assert.equal(isDatabaseUnavailable(refused), true);
  });

  it("a cancelled statement (class 57) is an outage; a bad statement is a bug", async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query("set statement_timeout = 10");
      const cancelled = await caughtAsync(() => client.query("select pg_sleep(1)"));
      assert.equal(cancelled.code, "57014");
      assert.equal(isDatabaseUnavailable(cancelled), true);
      await client.query("reset statement_timeout");

      const noTable = await caughtAsync(() => client.query("select * from vetted_nowhere"));
      assert.equal(noTable.code, "42P01");
      assert.equal(isDatabaseUnavailable(noTable), false);
    } finally {
      await client.end();
    }
  });

  it("class 55 holds ordinary statement errors too: a lock refused (55P03) is not an outage", async () => {
    const database = await createTestDatabase("postgres");
    const holder = new pg.Client({ connectionString: database.url });
    const waiter = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await waiter.connect();
    try {
      await holder.query("create table held (id int)");
      await holder.query("begin");
      await holder.query("lock table held in access exclusive mode");
      await waiter.query("set lock_timeout = 10");
      const refused = await caughtAsync(() => waiter.query("select * from held"));
      assert.equal(refused.code, "55P03");
      assert.equal(isDatabaseUnavailable(refused), false);
    } finally {
      await holder.end();
      await waiter.end();
      await database.drop();
    }
  });
});
