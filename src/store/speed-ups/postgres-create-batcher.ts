/**
 * Group commit for workflow.create on PostgreSQL, the counterpart of sqlite-group-commit.ts.
 *
 * Creates that arrive while others are being written wait, and then go together: BEGIN, ONE
 * statement for the whole batch (create-workflow-postgres.ts), COMMIT, pipelined on one
 * connection in a single write. The database then runs one statement and does one commit (one
 * WAL flush) for the lot instead of one each, and the server makes one write and one read
 * instead of one per request — on a small machine that CPU is most of the cost.
 *
 * Every guarantee of a lone create holds:
 * - a request's writes are still in one transaction, and its response waits for the COMMIT;
 * - each create checks its own rules and gets its own verdict. Two creates that would decide
 *   each other's verdict (the same nonce, email claim or subject record) never share a batch:
 *   the later one waits for the next, so it sees the earlier one's rows exactly as if the
 *   requests had come one after another;
 * - a statement that fails instead (a rule index hit by a create in ANOTHER transaction, or any
 *   error) aborts the shared transaction, so nothing of the batch is written; each request of it
 *   then runs again on its own, and gets exactly the answer it would have got alone. One
 *   request's error never becomes another's;
 * - a batch waits at most 1 s for a lock (see BEGIN_BATCH: another transaction writing the same
 *   email or subject record); past that the batch rolls back and its requests run again alone,
 *   each with the full statement timeout, so one slow request cannot use up the time of the
 *   others (pg's client-side timeout of a pipelined query counts from when it is sent);
 * - a connection lost fails every request of the batch as unavailable (503), as it would fail a
 *   lone create, and the connection is dropped from the pool.
 */
import type pg from "pg";
import type { CreateWorkflowPlan, CreateWorkflowVerdict } from "../../domain/create-workflow.js";
import { isDatabaseUnavailable } from "../availability.js";
import { type RuleIndexOf, translated } from "../shared/repository.js";
import { type CreateInput, type CreateVerdictRow, verdictsOf } from "./postgres-create-batch.js";

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
  /** One create's row of the statement, built when the request arrives. */
  inputOf(plan: CreateWorkflowPlan): CreateInput;
  /** The statement that writes these creates and answers their verdicts in order. */
  statementOf(inputs: readonly CreateInput[]): CreateStatement;
  ruleIndexOf: RuleIndexOf;
  /** Told the size of every batch written (1 for a create that went alone). */
  onBatch?(size: number): void;
}

interface Waiting {
  input: CreateInput;
  /** When it began waiting (performance.now()). */
  since: number;
  resolve(verdict: CreateWorkflowVerdict): void;
  reject(error: unknown): void;
}

export interface CreateBatcher {
  create(plan: CreateWorkflowPlan): Promise<CreateWorkflowVerdict>;
}

/** pg's result of a transaction-control statement: COMMIT on an aborted transaction says ROLLBACK. */
type CommandResult = { command?: string };

/**
 * Opens a batch's transaction. Its statement waits at most 1 s for a lock: creates wait only for
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
      const keys = request.input.conflictKeys;
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
    try {
      options.onBatch?.(batch.length);
      const committed = batch.length > 1 ? await inOneTransaction(client, batch) : false;
      if (!committed) broken = await eachAlone(client, batch);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      for (const request of batch) request.reject(error);
    } finally {
      // A client whose connection failed is dropped from the pool rather than handed out again:
      // pg marks it unusable only when the socket's end arrives, which may be after this.
      client.release(broken);
    }
  }

  /**
   * The batch as one transaction. True when it committed (every request has its verdict); false
   * when a statement failed and the transaction rolled back (nothing was written). Throws when
   * the transaction itself could not be run or ended (connection lost, timeout).
   */
  async function inOneTransaction(client: pg.PoolClient, batch: Waiting[]): Promise<boolean> {
    const { begin, created, commit } = pipelined(client, () => ({
      begin: client.query(BEGIN_BATCH),
      created: send(client, batch),
      commit: client.query("commit") as Promise<CommandResult>,
    }));
    const [began, outcome, ended] = await Promise.allSettled([begin, created, commit]);
    if (began.status === "rejected") throw began.reason;
    if (ended.status === "rejected") throw ended.reason;
    // A lost connection or a statement timeout: running the requests again would not help.
    if (outcome.status === "rejected" && isDatabaseUnavailable(outcome.reason)) throw outcome.reason;
    if (ended.value.command !== "COMMIT") {
      if (outcome.status === "fulfilled")
        throw new Error(`workflow.create batch ended with ${ended.value.command}, not COMMIT`);
      return false;
    }
    // Committed. A statement that failed without aborting the transaction never ran (pg could
    // not send it), so nothing of the batch was written.
    settle(batch, outcome);
    return true;
  }

  /**
   * Each create in its own implicit transaction, one after another so that each has the whole
   * statement timeout to itself. A rule-index violation becomes the domain error, as for a lone
   * create. Returns the error that lost the connection, if one did.
   */
  async function eachAlone(client: pg.PoolClient, batch: Waiting[]): Promise<Error | undefined> {
    for (const [i, request] of batch.entries()) {
      const [outcome] = (await Promise.allSettled([
        translated(options.ruleIndexOf, () => send(client, [request])),
      ])) as [Outcome];
      settle([request], outcome);
      if (outcome.status === "rejected" && isDatabaseUnavailable(outcome.reason)) {
        const lost = outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
        for (const later of batch.slice(i + 1)) later.reject(lost);
        return lost;
      }
    }
    return undefined;
  }

  /** The creates' one statement, on a client whose `query(text, values)` prepares it. */
  function send(client: pg.PoolClient, requests: Waiting[]): Promise<pg.QueryResult<CreateVerdictRow>> {
    const statement = options.statementOf(requests.map((request) => request.input));
    return client.query<CreateVerdictRow>(statement.sql, statement.parameters as unknown[]);
  }

  return {
    create(plan) {
      return new Promise<CreateWorkflowVerdict>((resolve, reject) => {
        // Built now, so a plan that cannot be turned into a statement fails its own request only.
        waiting.push({ input: options.inputOf(plan), since: performance.now(), resolve, reject });
        scheduleDispatch();
      });
    },
  };
}

type Outcome = PromiseSettledResult<pg.QueryResult<CreateVerdictRow>>;

/** Answers the requests from their statement's outcome: each its own verdict, or all its error. */
function settle(requests: Waiting[], outcome: Outcome): void {
  let verdicts: CreateWorkflowVerdict[];
  try {
    if (outcome.status === "rejected") throw outcome.reason;
    verdicts = verdictsOf(outcome.value.rows, requests.length);
  } catch (error) {
    for (const request of requests) request.reject(error);
    return;
  }
  for (const [i, request] of requests.entries()) request.resolve(verdicts[i] as CreateWorkflowVerdict);
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
