/**
 * Group commit for workflow.create on PostgreSQL, the counterpart of sqlite-group-commit.ts.
 *
 * Creates that arrive while others are being written wait, and then go together in one
 * transaction on one connection: BEGIN and the facts statement in one write, then the insert
 * statement and COMMIT in another (postgres-create-batch.ts). The database then runs two
 * statements and does one commit (one WAL flush) for the lot instead of a dozen statements and a
 * commit each, and the server makes two writes and two reads instead of many per request — on a
 * small machine that CPU is most of the cost.
 *
 * Every guarantee of a lone create holds:
 * - a request's writes are still in one transaction, and its response waits for the COMMIT;
 * - each create is judged by the domain's own rules on its own facts. Two creates that would
 *   decide each other's answer (the same nonce, email claim or subject record) never share a
 *   batch: the later one waits for the next, so it sees the earlier one's rows exactly as if the
 *   requests had come one after another;
 * - a statement that fails instead (a rule index hit by a create in ANOTHER transaction, or any
 *   error) aborts the shared transaction, so nothing of the batch is written; each request of it
 *   then runs alone on the plain path (`alone`), and gets exactly the answer it would have got
 *   there. One request's error never becomes another's;
 * - a batch waits at most 1 s for a lock (see BEGIN_BATCH: another transaction writing the same
 *   email or subject record); past that the batch rolls back and its requests run alone, each
 *   with the full statement timeout, so one slow request cannot use up the time of the others;
 * - a connection lost fails every request of the batch as unavailable (503), as it would fail a
 *   lone create, and the connection is dropped from the pool.
 */
import type pg from "pg";
import type { Workflow } from "../../domain/records.js";
import { isDatabaseUnavailable } from "../availability.js";
import type { UnitOfWork } from "../store.js";
import {
  type BatchDecision,
  type BatchedCreate,
  batchedCreateOf,
  decideBatchedCreate,
  type FactsRow,
  factsRowsOf,
} from "./postgres-create-batch.js";

export interface CreateStatement {
  sql: string;
  parameters: readonly unknown[];
}

export interface CreateBatcherOptions {
  /** Clients made with `pipeline: true`, whose `query(text, values)` prepares the statement. */
  pool: pg.Pool;
  /** Batches written at the same time, each on a connection of its own. */
  connections: number;
  /** The most creates in one transaction. */
  maxBatch: number;
  /**
   * While a batch is being written, another starts only once this many creates wait, or once
   * the oldest has waited `busyWaitMs`; until then they wait for a batch to finish and go in the
   * next one, bigger: PostgreSQL spends about as much on one more statement as on several more
   * rows in one. The time bound keeps a batch that hangs (a database that stopped answering)
   * from holding up the creates behind it past their own timeouts.
   */
  busyBatch: number;
  busyWaitMs: number;
  /** The statement that gathers the creates' facts and settles their guards, in order. */
  factsStatementOf(creates: readonly BatchedCreate[]): CreateStatement;
  /** The statement that inserts the accepted creates' rows. */
  insertStatementOf(inserts: readonly string[]): CreateStatement;
  /** The plain path, for a create whose batch could not be written. */
  alone(unit: UnitOfWork<"createWorkflow">): Promise<Workflow>;
  /** Told the size of every batch written. */
  onBatch?(size: number): void;
}

interface Waiting {
  create: BatchedCreate;
  /** When it began waiting (performance.now()). */
  since: number;
  resolve(workflow: Workflow): void;
  reject(error: unknown): void;
}

export interface CreateBatcher {
  create(unit: UnitOfWork<"createWorkflow">): Promise<Workflow>;
}

/** pg's result of a transaction-control statement: COMMIT on an aborted transaction says ROLLBACK. */
type CommandResult = { command?: string };

/**
 * Opens a batch's transaction. Its statements wait at most 1 s for a lock: creates wait only for
 * another transaction taking the same email or subject record, which commits within
 * milliseconds; a longer wait means something unusual holds the lock, and the requests are
 * better served alone.
 */
const BEGIN_BATCH = "begin; set local lock_timeout = '1s'";

export function createCreateBatcher(options: CreateBatcherOptions): CreateBatcher {
  let waiting: Waiting[] = [];
  let writing = 0;
  let dispatchScheduled = false;
  let busyWaitTimer: NodeJS.Timeout | undefined;

  /**
   * Dispatch after the current turn of the event loop, so the creates of every request read in
   * this turn go together. When all connections are busy, the next to finish dispatches. While
   * a batch is being written, fewer than `busyBatch` creates wait for it to finish, or until the
   * oldest has waited `busyWaitMs` (the timer).
   */
  function scheduleDispatch() {
    if (dispatchScheduled) return;
    if (mayStartBatch()) {
      dispatchScheduled = true;
      setImmediate(dispatch);
    } else if (writing < options.connections && waiting.length > 0 && !busyWaitTimer) {
      const waited = performance.now() - (waiting[0] as Waiting).since;
      busyWaitTimer = setTimeout(
        () => {
          busyWaitTimer = undefined;
          scheduleDispatch();
        },
        Math.max(0, options.busyWaitMs - waited),
      );
      busyWaitTimer.unref();
    }
  }

  function mayStartBatch(): boolean {
    const oldest = waiting[0];
    if (writing >= options.connections || oldest === undefined) return false;
    return (
      writing === 0 ||
      waiting.length >= options.busyBatch ||
      performance.now() - oldest.since >= options.busyWaitMs
    );
  }

  function dispatch() {
    dispatchScheduled = false;
    while (mayStartBatch()) {
      const batch = takeBatch();
      writing++;
      // write() settles every request itself; nothing is left for this promise to report.
      write(batch)
        .catch(() => undefined)
        .finally(() => {
          writing--;
          scheduleDispatch();
        });
    }
    // Creates left waiting for a busy connection still start once they have waited long enough.
    scheduleDispatch();
  }

  /**
   * The oldest waiting creates, up to maxBatch, leaving out any that claims a key an earlier one
   * of the batch claims: it stays first in line for the next batch.
   */
  function takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const claimed = new Set<string>();
    const left: Waiting[] = [];
    let next = 0;
    for (; next < waiting.length && batch.length < options.maxBatch; next++) {
      const request = waiting[next] as Waiting;
      const keys = request.create.conflictKeys;
      if (keys.some((key) => claimed.has(key))) {
        left.push(request);
        continue;
      }
      for (const key of keys) claimed.add(key);
      batch.push(request);
    }
    waiting = left.concat(waiting.slice(next));
    return batch;
  }

  async function write(batch: Waiting[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await options.pool.connect();
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
    let broken: Error | undefined;
    let committed = false;
    try {
      options.onBatch?.(batch.length);
      committed = await inOneTransaction(client, batch);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      for (const request of batch) request.reject(error);
      return;
    } finally {
      // A client whose connection failed is dropped from the pool rather than handed out again:
      // pg marks it unusable only when the socket's end arrives, which may be after this.
      client.release(broken);
    }
    // Rolled back, nothing written: each request runs alone, on a connection of its own.
    if (!committed)
      for (const request of batch) options.alone(request.create.unit).then(request.resolve, request.reject);
  }

  /**
   * The batch as one transaction. True when it committed (every request is answered); false when
   * a statement failed and the transaction rolled back (nothing was written). Throws when the
   * transaction itself could not be run or ended (connection lost, timeout).
   */
  async function inOneTransaction(client: pg.PoolClient, batch: Waiting[]): Promise<boolean> {
    const creates = batch.map((request) => request.create);
    const { begin, facts } = pipelined(client, () => ({
      begin: client.query(BEGIN_BATCH),
      facts: send<FactsRow>(client, options.factsStatementOf(creates)),
    }));
    const [began, gathered] = await Promise.allSettled([begin, facts]);
    if (began.status === "rejected") throw began.reason;
    if (gathered.status === "rejected") {
      // A lost connection or a statement timeout: running the requests again would not help.
      if (isDatabaseUnavailable(gathered.reason)) throw gathered.reason;
      await client.query("rollback");
      return false;
    }
    const decisions = factsRowsOf(gathered.value.rows, batch.length).map((row, i) =>
      decideBatchedCreate(creates[i] as BatchedCreate, row),
    );
    const inserts = decisions.flatMap((decision) => (decision.kind === "accepted" ? [decision.insert] : []));
    const { inserted, commit } = pipelined(client, () => ({
      inserted: inserts.length > 0 ? send(client, options.insertStatementOf(inserts)) : undefined,
      commit: client.query("commit") as Promise<CommandResult>,
    }));
    const [written, ended] = await Promise.allSettled([inserted, commit]);
    if (ended.status === "rejected") throw ended.reason;
    if (written.status === "rejected" && isDatabaseUnavailable(written.reason)) throw written.reason;
    if (ended.value.command !== "COMMIT") {
      if (written.status === "fulfilled")
        throw new Error(`workflow.create batch ended with ${ended.value.command}, not COMMIT`);
      return false;
    }
    for (const [i, request] of batch.entries()) settle(request, decisions[i] as BatchDecision);
    return true;
  }

  /** One statement on a client whose `query(text, values)` prepares it. */
  function send<Row extends pg.QueryResultRow>(client: pg.PoolClient, statement: CreateStatement) {
    return client.query<Row>(statement.sql, statement.parameters as unknown[]);
  }

  return {
    create(unit) {
      return new Promise<Workflow>((resolve, reject) => {
        // Built now, so a unit that cannot be turned into a statement fails its own request only.
        waiting.push({ create: batchedCreateOf(unit), since: performance.now(), resolve, reject });
        scheduleDispatch();
      });
    },
  };
}

/** Answers a request of a committed batch: its refusal, or its workflow. */
function settle(request: Waiting, decision: BatchDecision): void {
  if (decision.kind === "refused") request.reject(decision.error);
  else request.resolve(decision.value);
}

/**
 * Queries submitted inside `submit` leave in one socket write: pg corks the socket around each
 * query's own messages, and the outer cork holds them all until every query is queued.
 */
function pipelined<T>(client: pg.PoolClient, submit: () => T): T {
  const socket = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } })
    .connection.stream;
  socket.cork();
  try {
    return submit();
  } finally {
    socket.uncork();
  }
}
