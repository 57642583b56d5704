/**
 * One SQLite connection as every Vetted thread opens it: better-sqlite3 in WAL mode with a busy
 * timeout and synchronous=FULL (a committed write survives a power cut), foreign keys on, and
 * Kysely over it with write transactions that take the lock up front.
 */
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
} from "kysely";
import { makePrivateDir } from "../../private-files.js";
import { createDeliveryReads, createDeliveryWrites } from "../shared/deliveries.js";
import { createHousekeeping } from "../shared/housekeeping.js";
import { createRepositoryReads, createRepositoryWrites } from "../shared/repository.js";
import type { Database } from "../shared/schema.js";
import { createSealedSecretReads, createSealedSecretWrites } from "../shared/sealed-secrets.js";
import { runUnitOfWork, settleGuard, type UnitOfWorkRunner } from "../shared/unit-of-work.js";
import type {
  StoreDeliveryReads,
  StoreDeliveryWrites,
  StoreHousekeeping,
  StoreReads,
  StoreSealedSecretReads,
  StoreSealedSecretWrites,
  StoreTx,
  StoreWrites,
} from "../store.js";
import { WAL_RESTART_BYTES } from "./wal-limit.js";

/** Columns SQLite names in "UNIQUE constraint failed: …", per rule index. */
const RULE_INDEX_BY_COLUMNS: Record<string, string> = {
  "workflows.subject_record_id": "workflows_one_ba_per_subject_record",
  "workflows.account_id, workflows.email_claim": "workflows_unique_email_claim",
  "business.subject_record_id": "business_one_per_subject_record",
  "sales_info.business_id": "sales_info_one_per_business",
  "business_owner.business_id, business_owner.person_id": "business_owner_once_per_person",
  "business_bank_account_purpose.business_id": "business_bank_account_one_primary",
  "business_bank_account_purpose.business_id, business_bank_account_purpose.bank_account_id, business_bank_account_purpose.purpose":
    "business_bank_account_purpose_once",
  "person_issued_identifier.person_id, person_issued_identifier.type":
    "person_issued_identifier_one_per_type",
  // Locations (009_locations.ts).
  "business_location.business_id, business_location.location_id": "business_location_once",
  "location_bank_account_purpose.location_id, location_bank_account_purpose.bank_account_id, location_bank_account_purpose.purpose":
    "location_bank_account_purpose_once",
  // Webhooks (007_webhooks.ts).
  "webhook_keys.account_id": "webhook_keys_one_active",
  "webhook_configs.account_id, webhook_configs.url": "webhook_configs_unique_url",
  // Metadata (010_metadata.ts).
  "metadata_type_definition.account_id, metadata_type_definition.metadata_type":
    "metadata_type_definition_unique_name",
};

export function sqliteRuleIndexOf(error: unknown): string | undefined {
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

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Page size of a new database file. Every create inserts a dozen index entries with random keys
 * (IDs, emails), each landing on a different leaf page, and a COMMIT writes every page it dirtied
 * to the WAL whole, so writing WAL frames was much of the writer thread's CPU. Pages of 2 KiB halve
 * those bytes; smaller pages slowed low concurrency (docs/performance.md, "SQLite: 2 KiB pages").
 */
export const SQLITE_PAGE_SIZE = 2048;

/** The settings stored in the file itself: its page size, and WAL mode. */
function settleFile(database: BetterSqlite3.Database): void {
  // Takes effect only when the file is new (before its first table); an existing database keeps
  // its page size. See SQLITE_PAGE_SIZE.
  database.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  database.pragma("journal_mode = WAL");
}

/**
 * With `readonly`, SQLite itself refuses every write on the connection (SQLITE_READONLY): the
 * serving thread's connection beside a writer thread, so no write can bypass the writer. A
 * read-only connection cannot create the file or switch it to WAL, so a writable one does that
 * first and closes.
 */
export function openSqliteConnection(
  file: string,
  busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
  {
    readonly = false,
    walRestartBytes = WAL_RESTART_BYTES,
  }: { readonly?: boolean; walRestartBytes?: number } = {},
): Kysely<Database> {
  const inMemory = file === ":memory:";
  if (!inMemory) makePrivateDir(path.dirname(path.resolve(file)));
  if (readonly) {
    const setup = new BetterSqlite3(file, { timeout: busyTimeoutMs });
    settleFile(setup);
    setup.close();
  }
  const database = new BetterSqlite3(file, { timeout: busyTimeoutMs, readonly });
  if (!readonly) settleFile(database);
  database.pragma("synchronous = FULL");
  database.pragma("foreign_keys = ON");
  // Savepoints (one per job in a group commit) keep statement journals; in memory rather than a
  // temporary file created and deleted for every batch.
  database.pragma("temp_store = MEMORY");
  // Checkpoints run in a worker thread (sqlite-checkpointer.ts), never inside a request's COMMIT.
  if (!inMemory && !readonly) database.pragma("wal_autocheckpoint = 0");
  // A WAL started over is cut back to this size by the next commit (sqlite-wal-limit.ts).
  if (!readonly) database.pragma(`journal_size_limit = ${walRestartBytes}`);
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }),
  });
}

/** Every store operation that writes. */
export type SqliteWrites = StoreWrites &
  StoreHousekeeping &
  StoreSealedSecretWrites &
  StoreDeliveryWrites &
  UnitOfWorkRunner;
export type SqliteWriteName = keyof SqliteWrites;
/** What a write transaction sees: every query, and the unit of work built on them. */
export type SqliteTx = StoreTx & UnitOfWorkRunner;

export function sqliteReadsOn(
  connection: Kysely<Database>,
): StoreReads & StoreSealedSecretReads & StoreDeliveryReads {
  return {
    ...createRepositoryReads(connection, "sqlite"),
    ...createSealedSecretReads(connection),
    ...createDeliveryReads(connection),
  };
}

/**
 * The one definition of what writes on SQLite. The writer thread runs these by name, and the
 * serving store (sqlite.ts) sends every name of this object to it: a write added here is routed
 * to the writer with nothing else to list, and a write defined anywhere else would meet the
 * serving thread's read-only connection and fail.
 */
export function sqliteWritesOn(connection: Kysely<Database>): SqliteWrites {
  const writes = {
    ...createRepositoryWrites(connection, "sqlite", sqliteRuleIndexOf),
    ...createHousekeeping(connection, "sqlite"),
    ...createSealedSecretWrites(connection),
    ...createDeliveryWrites(connection, "sqlite"),
  };
  const tx: StoreTx = { ...sqliteReadsOn(connection), ...writes };
  return {
    ...writes,
    runUnitOfWork: (unit) => runUnitOfWork(tx, unit),
    settleGuard: (guard) => settleGuard(tx, guard),
  };
}

/** The store's queries on one SQLite connection (or on one transaction of it). */
export function sqliteTxOn(connection: Kysely<Database>): SqliteTx {
  return { ...sqliteReadsOn(connection), ...sqliteWritesOn(connection) };
}
