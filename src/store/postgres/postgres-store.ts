/** PostgreSQL adapter: a pg pool behind Kysely; any number of server processes may share the database. */
import { createHash } from "node:crypto";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { reusedQueries } from "../shared/connection-slot.js";
import { createDeliveryReads, createDeliveryWrites } from "../shared/deliveries.js";
import { createHousekeeping } from "../shared/housekeeping.js";
import { migrate } from "../shared/migrate.js";
import { createRepository } from "../shared/repository.js";
import type { Database } from "../shared/schema.js";
import { createSealedSecrets } from "../shared/sealed-secrets.js";
import { runUnitOfWork, settleGuard, writeAlone } from "../shared/unit-of-work.js";
import { factsStatementOf, insertStatementOf } from "../speed-ups/postgres-create-batch.js";
import { createCreateBatcher } from "../speed-ups/postgres-create-batcher.js";
import type { AuthGuard, Store, StoreTx, UnitOfWork } from "../store.js";
import { createDocumentStreams } from "./document-stream.js";

const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

/**
 * The rule index a write broke, or the foreign key: an insert that waited on the lock of a row
 * being deleted fails its foreign key once the delete commits (rule-indexes.ts names the keys
 * whose violation has a domain error; SQLite's writer runs one unit at a time, so there it cannot).
 */
function postgresRuleIndexOf(error: unknown): string | undefined {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION || code === FOREIGN_KEY_VIOLATION ? constraint : undefined;
}

/**
 * Bounds that make a lost or stuck database fail requests fast (503, see availability.ts) rather
 * than hang them. Kept below the 10 s shutdown drain so a stuck query cannot hold up shutdown.
 */
const CONNECTION_LIMITS = {
  /** Opening a connection: a server that does not answer fails the request instead of queueing it. */
  connectionTimeoutMillis: 5000,
  /** Server side: a statement (or a lock wait) running longer is cancelled (SQLSTATE 57014). */
  statement_timeout: 8000,
  /**
   * Client side backstop for a server that stops answering altogether (network loss). Longer than
   * statement_timeout, so a server that is merely slow always answers first.
   */
  query_timeout: 9000,
  /** Server side: a transaction left open by a vanished client releases its locks. */
  idle_in_transaction_session_timeout: 30_000,
  /** TCP keepalive notices a silently dead peer on idle connections. */
  keepAlive: true,
} as const;

/**
 * The most creates in one transaction. Enough to take every request of a busy moment in one
 * batch, small enough that one batch cannot hold a connection for long (a create takes well
 * under a millisecond of the database's time).
 */
const CREATE_BATCH_LIMIT = 64;

/**
 * While a batch is being written, the next starts only once this many creates wait, or once the
 * oldest has waited CREATE_BATCH_BUSY_WAIT_MS (else when a batch finishes): fewer, bigger batches
 * cost PostgreSQL less CPU per create than every free connection starting one at once
 * (docs/decisions.md, "PostgreSQL group commit", has the measurement). A batch
 * takes a few milliseconds, so the wait rarely ends by the clock; it is there for a batch that
 * hangs (a database that stopped answering), which must not hold up the creates behind it.
 */
const CREATE_BATCH_WHILE_BUSY = 16;
const CREATE_BATCH_BUSY_WAIT_MS = 25;

export interface PostgresOptions {
  url: string;
  poolSize?: number;
  /** Told the size of each workflow.create batch (postgres-create-batcher.ts). */
  onCreateBatch?(size: number): void;
  /** false: no create batch; every unit of work runs on the plain path, in a transaction of its own (open.ts). */
  speedUps?: boolean;
}

/**
 * Kysely sends every query as unnamed text, which PostgreSQL parses and plans on every call. The
 * store's queries are a small fixed set of shapes, so each is sent as a named prepared statement
 * instead (named by a hash of its text): each connection parses it once and then only binds and
 * executes. Only plain DML is named; DDL and transaction control stay unnamed.
 */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `v_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    if (statementNames.size >= 2000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

function asPrepared(args: unknown[]): unknown[] {
  const [text, values, ...rest] = args;
  if (typeof text !== "string" || !Array.isArray(values) || rest.length > 0 || !PREPARABLE.test(text))
    return args;
  return [{ name: statementName(text), text, values }];
}

/**
 * pg's query_timeout fails the query but leaves it pending on the connection, and the pool would
 * hand that connection out again: still waiting for the old reply or, after a timed-out BEGIN,
 * inside a transaction nobody owns (where a later single-statement write would never commit).
 * A connection whose query timed out is closed instead, so the pool drops it.
 */
class ClientClosedOnQueryTimeout extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: forwards each of pg's many query overloads unchanged.
  override query(...args: any[]): any {
    const result: unknown = (super.query as (...forwarded: unknown[]) => unknown)(...asPrepared(args));
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      if (error instanceof Error && error.message === "Query read timeout") this.connection.stream.destroy();
      throw error;
    });
  }
}

/**
 * Sent first on every new connection (queued ahead of whatever the connection was opened for).
 * JIT compilation is for long analytic queries: PostgreSQL compiles a statement whenever its
 * estimated cost passes jit_above_cost. On tables that grow faster than autovacuum analyzes them,
 * the planner assumes hundreds of workflows per subject record, and the batch create statement's
 * estimate passed it on a grown database: every batch then spent tens of milliseconds compiling
 * it (docs/performance.md, "JIT: the 64-connection collapse"). No query of this server runs long
 * enough to gain from JIT. A SET rather than the `options` startup parameter, which a database
 * URL's own `options` would replace.
 */
export const SESSION_SETTINGS = "set jit = off";

/** A pg pool with the server's client class, error handling and session settings. */
export function newPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, Client: ClientClosedOnQueryTimeout });
  // A connection lost while idle in the pool, or while checked out between two queries of a
  // transaction, is reported as an 'error' event; unheard, that event would crash the process.
  // The query in progress (or the next one) fails by itself and the pool then drops the client.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
    // A failure here means the connection is gone; the query it was opened for fails by itself.
    client.query(SESSION_SETTINGS).catch(() => undefined);
  });
  return pool;
}

/**
 * Migrations run on a connection of their own without the request timeouts: building an index on
 * a large table, or waiting for another process's migration lock, may rightly take longer.
 */
async function migrateWithoutTimeouts(url: string): Promise<string[]> {
  const pool = newPool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await migrate(db, "postgres");
  } finally {
    await db.destroy();
  }
}

/** A create the batch takes: one without an Idempotency-Key, whose result need not be committed. */
function isBatchedCreate(unit: UnitOfWork): unit is UnitOfWork<"createWorkflow"> {
  return unit.procedure === "createWorkflow" && unit.guard.idempotency === null;
}

/**
 * Connections that write create batches at the same time; the rest of the pool stays free for
 * reads and the other methods. A batch holds its connection for two round trips with the
 * domain's decision between them, and the reply to the first waits its turn on an event loop busy
 * serving HTTP, so a batch is bound by latency, not by the database: more batches in flight, not
 * bigger ones, keep the database busy (docs/performance.md, "issue 12's unit of work").
 */
function batchConnectionsOf(poolSize: number): number {
  return Math.max(1, poolSize - RESERVED_FOR_OTHER_QUERIES);
}
const RESERVED_FOR_OTHER_QUERIES = 2;

export function openPostgresStore(options: PostgresOptions): Store {
  const poolSize = options.poolSize ?? 10;
  // Pipeline mode lets the create batcher send a whole batch in one write; Kysely, which awaits
  // each query before the next, uses the same clients exactly as before.
  const pool = newPool({
    connectionString: options.url,
    max: poolSize,
    pipeline: true,
    ...CONNECTION_LIMITS,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const documentStreams = createDocumentStreams({
    connectionString: options.url,
    connectionTimeoutMillis: CONNECTION_LIMITS.connectionTimeoutMillis,
    keepAlive: true,
  });
  const repository = createRepository(db, "postgres", postgresRuleIndexOf);
  const housekeeping = createHousekeeping(db, "postgres");
  // Built once per transaction in flight, not per transaction (connection-slot.ts).
  const txQueries = reusedQueries<StoreTx>((trx) => ({
    ...createRepository(trx, "postgres", postgresRuleIndexOf),
    ...createHousekeeping(trx, "postgres"),
    ...createSealedSecrets(trx),
    ...createDeliveryReads(trx),
    ...createDeliveryWrites(trx, "postgres"),
  }));
  function transaction<T>(fn: (tx: StoreTx) => Promise<T>) {
    return db.transaction().execute((trx) => txQueries.on(trx, fn));
  }
  const settle = (guard: AuthGuard) => transaction((tx) => settleGuard(tx, guard));
  /** The plain path: the unit in a transaction of its own. */
  const alone = writeAlone((unit) => transaction((tx) => runUnitOfWork(tx, unit)), settle);
  const batcher =
    (options.speedUps ?? true) &&
    createCreateBatcher({
      pool,
      connections: batchConnectionsOf(poolSize),
      maxBatch: CREATE_BATCH_LIMIT,
      busyBatch: CREATE_BATCH_WHILE_BUSY,
      busyWaitMs: CREATE_BATCH_BUSY_WAIT_MS,
      factsStatementOf: (creates) => factsStatementOf(db, creates),
      insertStatementOf: (inserts) => insertStatementOf(db, inserts),
      alone,
      onBatch: options.onCreateBatch,
    });
  return {
    ...repository,
    ...housekeeping,
    ...createSealedSecrets(db),
    ...createDeliveryReads(db),
    ...createDeliveryWrites(db, "postgres"),
    dialect: "postgres",
    transaction,
    // workflow.create, the hot path, goes in a batch; every other unit runs alone.
    write: ((unit: UnitOfWork) =>
      batcher && isBatchedCreate(unit) ? batcher.create(unit) : alone(unit)) as Store["write"],
    settleGuard: settle,
    migrate: () => migrateWithoutTimeouts(options.url),
    async ping() {
      await sql`select 1`.execute(db);
    },
    load: () => ({ pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } }),
    openDocumentBytes: (documentId) => documentStreams.open(documentId),
    async close() {
      await documentStreams.close();
      await db.destroy();
    },
  };
}
