/** Databases brought to an earlier migration, to test what a later one does to existing rows. */
import fs from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { MIGRATIONS } from "../../src/store/shared/migrations/index.js";
import type { TestDatabase } from "./databases.js";
import { at } from "./store-fixtures.js";

/** A database migrated as far as `version`, exactly as `migrate` records it, through Kysely. */
export async function migratedTo(database: TestDatabase, version: number): Promise<Kysely<unknown>> {
  const target = database.target;
  // Private from the start, as the store requires of a database file.
  if (target.kind === "sqlite") fs.writeFileSync(target.path, "", { mode: 0o600 });
  const db =
    target.kind === "sqlite"
      ? new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(target.path) }) })
      : new Kysely<unknown>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: 1 }) }),
        });
  await sql`create table schema_migrations (version integer primary key, name text not null, applied_at text not null)`.execute(
    db,
  );
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    await migration.up(db, { dialect: target.kind });
    await sql`insert into schema_migrations (version, name, applied_at) values (${migration.version}, ${migration.name}, ${at(0)})`.execute(
      db,
    );
  }
  return db;
}
