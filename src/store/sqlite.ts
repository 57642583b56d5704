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
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from "kysely";
import { createWorkflowInTransaction } from "./create-workflow-generic.js";
import { createHousekeeping } from "./housekeeping.js";
import { migrate } from "./migrate.js";
import { createRepository } from "./repository.js";
import type { Database } from "./schema.js";
import { startCheckpointer } from "./sqlite-checkpointer.js";
import { createGroupCommit } from "./sqlite-group-commit.js";
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

/** The store methods that write: outside an explicit transaction they still join a batch. */
const WRITE_METHODS = [
  "insertOrganization",
  "insertAccount",
  "updateAccount",
  "insertCredential",
  "revokeCredential",
  "insertPricingModel",
  "insertEquipmentCollection",
  "insertSubjectRecord",
  "insertWorkflow",
  "updateWorkflowDetails",
  "transitionWorkflow",
  "insertEvent",
  "claimNonce",
  "claimIdempotencyKey",
  "finishIdempotencyKey",
  "takeRateToken",
  "purgeExpired",
] as const satisfies readonly (keyof StoreTx)[];

/**
 * Kysely prepares every query afresh; preparing costs more than running these small statements.
 * The queries are a fixed set of shapes, so their prepared statements are kept and reused.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(text) {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= 1000) statements.clear();
        statement = database.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

function txOn(connection: Kysely<Database>): StoreTx {
  return { ...createRepository(connection, sqliteRuleIndexOf), ...createHousekeeping(connection, "sqlite") };
}

export function openSqliteStore(options: SqliteOptions): Store {
  const inMemory = options.path === ":memory:";
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  const database = new BetterSqlite3(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.pragma("foreign_keys = ON");
  // Savepoints (one per job in a group commit) keep statement journals; in memory rather than a
  // temporary file created and deleted for every batch.
  database.pragma("temp_store = MEMORY");
  // Checkpoints run in a worker thread (sqlite-checkpointer.ts), never inside a request's COMMIT.
  if (!inMemory) database.pragma("wal_autocheckpoint = 0");
  const checkpointer = inMemory ? undefined : startCheckpointer(options.path);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }),
  });
  const groupCommit = createGroupCommit(db, txOn);

  const store: StoreTx = txOn(db);
  for (const name of WRITE_METHODS) {
    // Each stand-alone write becomes a one-statement job in the next batch (shared fsync). The
    // casts only erase each method's own signature; arguments pass through untouched.
    (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      groupCommit.run((tx) => (tx[name] as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return {
    ...store,
    dialect: "sqlite",
    transaction: (work) => groupCommit.run(work),
    createWorkflow: (plan) => groupCommit.run((tx) => createWorkflowInTransaction(tx, plan)),
    migrate: () => migrate(db as unknown as Kysely<unknown>, "sqlite"),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
