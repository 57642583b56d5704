import { type Kysely, sql } from "kysely";
import { MIGRATIONS } from "./migrations/index.js";

/** Any constant: the advisory lock that serializes migrators sharing one PostgreSQL database. */
const MIGRATION_LOCK_ID = 7_316_001;

/**
 * Applies pending migrations, each in its own transaction, holding a database-wide lock
 * (PostgreSQL advisory lock, SQLite `BEGIN IMMEDIATE`) so that several processes starting at
 * once apply each migration exactly once. Returns the names applied by this call.
 */
export async function migrate(db: Kysely<unknown>, dialect: "sqlite" | "postgres"): Promise<string[]> {
  const applied: string[] = [];
  for (;;) {
    const name = await db.connection().execute(async (conn) => {
      await sql.raw(dialect === "sqlite" ? "begin immediate" : "begin").execute(conn);
      try {
        if (dialect === "postgres")
          await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(conn);
        await conn.schema
          .createTable("schema_migrations")
          .ifNotExists()
          .addColumn("version", "integer", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("applied_at", "text", (c) => c.notNull())
          .execute();
        const rows = await sql<{ version: number }>`select version from schema_migrations`.execute(conn);
        const done = new Set(rows.rows.map((r) => Number(r.version)));
        const pending = MIGRATIONS.find((m) => !done.has(m.version));
        if (pending) {
          await pending.up(conn, { dialect });
          await sql`insert into schema_migrations (version, name, applied_at) values (${pending.version}, ${pending.name}, ${new Date().toISOString()})`.execute(
            conn,
          );
        }
        await sql`commit`.execute(conn);
        return pending ? `${String(pending.version).padStart(3, "0")}_${pending.name}` : undefined;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
    if (name === undefined) return applied;
    applied.push(name);
  }
}
