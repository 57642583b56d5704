/**
 * The store's queries are built once and lent each transaction's connection
 * (src/store/shared/connection-slot.ts): building them per batch made garbage collection a
 * quarter of the SQLite writer thread's time. Real SQLite files, real group commits.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { type Kysely, sql } from "kysely";
import { createConnectionSlot, reusedQueries } from "../src/store/shared/connection-slot.js";
import type { Database } from "../src/store/shared/schema.js";
import { createGroupCommit } from "../src/store/speed-ups/sqlite-group-commit.js";
import { openSqliteConnection } from "../src/store/sqlite/connection.js";
import { tempDir } from "./support/databases.js";

const dir = tempDir("vetted-connection-slot-");
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function scratchDb(name: string): Promise<Kysely<Database>> {
  const db = openSqliteConnection(path.join(dir, `${name}.db`));
  await sql`create table t (n integer primary key)`.execute(db);
  return db;
}

describe("connection slot", () => {
  it("forwards to the lent connection only while it is lent", async () => {
    const db = await scratchDb("forward");
    try {
      const slot = createConnectionSlot();
      assert.throws(() => slot.db.selectFrom("nonces"), /no transaction holds/);
      const rows = await db
        .connection()
        .execute((connection) =>
          slot.lend(
            connection,
            async () => (await sql<{ one: number }>`select 1 as one`.execute(slot.db)).rows,
          ),
        );
      assert.deepEqual(rows, [{ one: 1 }]);
      assert.throws(() => slot.db.selectFrom("nonces"), /no transaction holds/);
    } finally {
      await db.destroy();
    }
  });

  it("refuses a second lend while one is running", async () => {
    const db = await scratchDb("twice");
    try {
      const slot = createConnectionSlot();
      await db.connection().execute((connection) =>
        slot.lend(connection, async () => {
          await assert.rejects(
            slot.lend(connection, async () => null),
            /already lent/,
          );
        }),
      );
    } finally {
      await db.destroy();
    }
  });

  it("a group commit builds its queries once, and every batch's writes land", async () => {
    const db = await scratchDb("group");
    try {
      let built = 0;
      const groupCommit = createGroupCommit(db, (connection) => {
        built++;
        return { insert: (n: number) => sql`insert into t (n) values (${n})`.execute(connection) };
      });
      // Three rounds of concurrent jobs: at least three batches.
      for (let round = 0; round < 3; round++) {
        await Promise.all(
          Array.from({ length: 5 }, (_, i) => groupCommit.run((tx) => tx.insert(round * 10 + i))),
        );
      }
      // A job that fails is rolled back alone; the slot is free again for the next batch.
      await assert.rejects(groupCommit.run((tx) => tx.insert(0)));
      await groupCommit.run((tx) => tx.insert(99));
      assert.equal(built, 1);
      const { rows } = await sql<{ count: number }>`select count(*) as count from t`.execute(db);
      assert.equal(rows[0]?.count, 16);
    } finally {
      await db.destroy();
    }
  });

  it("transactions side by side each get their own query objects, built once per transaction in flight", async () => {
    const files = await Promise.all(["side-a", "side-b", "side-c"].map(scratchDb));
    try {
      let built = 0;
      const queries = reusedQueries((db) => {
        built++;
        return { insert: (n: number) => sql`insert into t (n) values (${n})`.execute(db) };
      });
      const inParallel = async (round: number) => {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const runs = files.map((db, i) =>
          db.connection().execute((connection) =>
            queries.on(connection, async (tx) => {
              await held;
              await tx.insert(round * 10 + i);
            }),
          ),
        );
        release();
        await Promise.all(runs);
      };
      await inParallel(1);
      await inParallel(2);
      assert.equal(built, 3);
      // Each connection got exactly its own writes, one per round.
      for (const [i, db] of files.entries()) {
        const { rows } = await sql<{ n: number }>`select n from t order by n`.execute(db);
        assert.deepEqual(
          rows.map((row) => row.n),
          [10 + i, 20 + i],
        );
      }
    } finally {
      await Promise.all(files.map((db) => db.destroy()));
    }
  });
});
