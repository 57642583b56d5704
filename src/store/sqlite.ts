/**
 * SQLite adapter: better-sqlite3 in WAL mode with a busy timeout and synchronous=FULL, so a
 * committed write survives a power cut and admin commands can run beside `serve`.
 */
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from "kysely";
import { createHousekeeping } from "./housekeeping.js";
import { migrate } from "./migrate.js";
import { createRepository } from "./repository.js";
import type { Database } from "./schema.js";
import type { Store, StoreTx } from "./store.js";

/** Columns SQLite names in "UNIQUE constraint failed: …", per rule index. */
const RULE_INDEX_BY_COLUMNS: Record<string, string> = {
  "workflows.subject_record_id": "workflows_one_ba_per_subject_record",
  "workflows.account_id, workflows.email_claim": "workflows_unique_email_claim",
};

function sqliteRuleIndexOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as { code?: string }).code !== "SQLITE_CONSTRAINT_UNIQUE")
    return undefined;
  const columns = error.message.replace(/^UNIQUE constraint failed: /, "");
  return RULE_INDEX_BY_COLUMNS[columns];
}

/**
 * Write transactions take the write lock up front (`BEGIN IMMEDIATE`): a deferred transaction that
 * reads and then writes can fail at once with SQLITE_BUSY when another process wrote in between,
 * which the busy timeout does not cover.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.settings);
  }
}

export interface SqliteOptions {
  path: string;
  busyTimeoutMs?: number;
}

export function openSqliteStore(options: SqliteOptions): Store {
  if (options.path !== ":memory:")
    fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  const database = new BetterSqlite3(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
  const repository = createRepository(db, sqliteRuleIndexOf);
  const housekeeping = createHousekeeping(db, "sqlite");
  return {
    ...repository,
    ...housekeeping,
    dialect: "sqlite",
    transaction<T>(fn: (tx: StoreTx) => Promise<T>) {
      return db
        .transaction()
        .execute((trx) =>
          fn({ ...createRepository(trx, sqliteRuleIndexOf), ...createHousekeeping(trx, "sqlite") }),
        );
    },
    migrate: () => migrate(db as unknown as Kysely<unknown>, "sqlite"),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
