/** PostgreSQL adapter: a pg pool behind Kysely; any number of server processes may share the database. */
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { createHousekeeping } from "./housekeeping.js";
import { migrate } from "./migrate.js";
import { createRepository } from "./repository.js";
import type { Database } from "./schema.js";
import type { Store, StoreTx } from "./store.js";

const UNIQUE_VIOLATION = "23505";

function postgresRuleIndexOf(error: unknown): string | undefined {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION ? constraint : undefined;
}

export interface PostgresOptions {
  url: string;
  poolSize?: number;
}

export function openPostgresStore(options: PostgresOptions): Store {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // Fail fast when the database is unreachable instead of queueing requests forever.
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const repository = createRepository(db, postgresRuleIndexOf);
  const housekeeping = createHousekeeping(db, "postgres");
  return {
    ...repository,
    ...housekeeping,
    dialect: "postgres",
    transaction<T>(fn: (tx: StoreTx) => Promise<T>) {
      return db
        .transaction()
        .execute((trx) =>
          fn({ ...createRepository(trx, postgresRuleIndexOf), ...createHousekeeping(trx, "postgres") }),
        );
    },
    migrate: () => migrate(db as unknown as Kysely<unknown>, "postgres"),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
