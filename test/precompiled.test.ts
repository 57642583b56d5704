/**
 * Precompiled queries (src/store/speed-ups/precompiled.ts): compiled once per dialect, run with each call's
 * own arguments, constants kept, and a builder that hides an argument from the parameters refused.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Kysely, sql } from "kysely";
import type { Database } from "../src/store/shared/schema.js";
import { precompiled } from "../src/store/speed-ups/precompiled.js";
import { openSqliteConnection } from "../src/store/sqlite/connection.js";

describe("precompiled queries [sqlite]", () => {
  let db: Kysely<Database>;
  before(async () => {
    db = openSqliteConnection(":memory:");
    await sql`create table organizations (id text primary key, name text not null, created_at text not null)`.execute(
      db,
    );
  });
  after(() => db.destroy());

  it("runs the compiled statement with each call's arguments and keeps constants", async () => {
    let builds = 0;
    const insert = precompiled(2, (kysely: Kysely<Database>, id: string, name: string) => {
      builds++;
      return kysely.insertInto("organizations").values({ id, name, created_at: "2025-03-24T00:00:00.000Z" });
    });
    const byName = precompiled(1, (kysely: Kysely<Database>, name: string) =>
      kysely.selectFrom("organizations").select("id").where("name", "=", name).orderBy("id").limit(5),
    );
    for (let i = 0; i < 3; i++) await insert.run(db, "sqlite", `org_${i}`, i === 2 ? "Other" : "Same");
    assert.equal(builds, 1, "built and compiled once");
    assert.deepEqual((await byName.run(db, "sqlite", "Same")).rows, [{ id: "org_0" }, { id: "org_1" }]);
    assert.deepEqual(await byName.first(db, "sqlite", "Other"), { id: "org_2" });
    assert.equal(await byName.first(db, "sqlite", "Nobody"), undefined);
    const stored = await db
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", "org_1")
      .executeTakeFirst();
    assert.equal(stored?.created_at, "2025-03-24T00:00:00.000Z");
  });

  it("refuses a builder that does not pass an argument as a parameter", async () => {
    const shapeFromArgument = precompiled(1, (kysely: Kysely<Database>, _column: string) =>
      kysely.selectFrom("organizations").select("id"),
    );
    await assert.rejects(shapeFromArgument.run(db, "sqlite", "name"), /argument 0 is not a parameter/);
  });
});
