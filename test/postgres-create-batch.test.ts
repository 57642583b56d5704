/**
 * Group commit of workflow.create on PostgreSQL (src/store/speed-ups/postgres-create-batcher.ts), through
 * the real store on a real database: simultaneous creates share transactions; a statement that
 * fails rolls its batch back and every request of it is answered as it would have been alone; a
 * rule index hit by another transaction is arbitrated exactly as for a lone create; a connection
 * lost mid-batch fails the batch as unavailable and writes none of it. PostgreSQL only: SQLite's
 * group commit is tested with the writer thread.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { ApiError } from "../src/errors.js";
import { isDatabaseUnavailable } from "../src/store/availability.js";
import { openStore } from "../src/store/open.js";
import { newPool } from "../src/store/postgres/postgres-store.js";
import type { Database } from "../src/store/shared/schema.js";
import {
  batchedCreateOf,
  decideBatchedCreate,
  type FactsRow,
  factsStatementOf,
  insertStatementOf,
} from "../src/store/speed-ups/postgres-create-batch.js";
import type { Store } from "../src/store/store.js";
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from "./support/databases.js";
import { queryRows } from "./support/sql.js";
import {
  answerOfError,
  at,
  createAnswer,
  createPlan,
  type GuardedPlan,
  planOnRecord,
  seedAccount,
  subjectRecord,
  uniqueTail,
  unitOf,
  verdictCases,
  workflow,
} from "./support/store-fixtures.js";

/**
 * A create's answer: "ok", or the guard's or rule's refusal its error stands for (a create that
 * met its rule on an index, inside another transaction, is refused by the same error).
 */
function answerOf(outcome: PromiseSettledResult<unknown> | undefined, plan: GuardedPlan): string {
  if (outcome?.status === "fulfilled") return "ok";
  try {
    return answerOfError(outcome?.reason, plan);
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

/** Each outcome's answer, the plans in the same order. */
function answersOf(outcomes: PromiseSettledResult<unknown>[], plans: GuardedPlan[]): string[] {
  return outcomes.map((outcome, i) => answerOf(outcome, plans[i] as GuardedPlan));
}

/** The plan of the batch statement on this connection, line by line (EXPLAIN, not run). */
async function planOn(client: pg.ClientBase, text: string, batch: unknown): Promise<string[]> {
  await client.query("deallocate all");
  await client.query(`prepare create_batch(jsonb) as ${text}`);
  // EXPLAIN EXECUTE takes the batch as a literal; format() quotes it.
  const quoted = await client.query<{ command: string }>(
    "select format('explain execute create_batch(%L)', $1::text) as command",
    [batch],
  );
  const result = await client.query<{ "QUERY PLAN": string }>(quoted.rows[0]?.command ?? "");
  return result.rows.map((row) => row["QUERY PLAN"]);
}

/** The generic plan PostgreSQL caches for the batch statement, line by line (EXPLAIN, not run). */
async function genericPlan(database: TestDatabase, text: string, batch: unknown): Promise<string[]> {
  assert.equal(database.target.kind, "postgres");
  const client = new pg.Client({ connectionString: database.target.url });
  await client.connect();
  try {
    await client.query("set plan_cache_mode = force_generic_plan");
    return await planOn(client, text, batch);
  } finally {
    await client.end();
  }
}

/** The facts statement for one new business application of `account`: compiled by Kysely, never run. */
async function oneCreateStatement(account: Parameters<typeof createPlan>[0]) {
  const compiler = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: postgresAdminUrl() }) }),
  });
  try {
    const plan = createPlan(account, { email: `kim.${uniqueTail()}@example.com` });
    return factsStatementOf(compiler, [batchedCreateOf(unitOf(plan))]);
  } finally {
    await compiler.destroy();
  }
}

/** Runs `work` on a connection of the test's own, in a transaction that is always rolled back. */
async function inOneTransaction(database: TestDatabase, work: (client: pg.Client) => Promise<void>) {
  assert.equal(database.target.kind, "postgres");
  const client = new pg.Client({ connectionString: database.target.url });
  await client.connect();
  try {
    await client.query("begin");
    await work(client);
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}

/** How long a test waits for the database to reach a state it is watching for. */
const WATCH_MS = 10_000;

async function countWhere(database: TestDatabase, table: string, ids: string[]): Promise<number> {
  const rows = await queryRows<{ n: string }>(
    database,
    `select count(*) as n from ${table} where id = any($1)`,
    [ids],
  );
  return Number(rows[0]?.n);
}

/** How many transactions wrote these workflows: a row carries its writer's ID in xmin. */
async function transactionsThatWrote(database: TestDatabase, workflowIds: string[]): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    database,
    "select count(distinct xmin::text) as n from workflows where id = any($1)",
    [workflowIds],
  );
  return Number(row?.n);
}

/** The promise's value, or a failure once `ms` have passed (a regression here would hang). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The backend of this database waiting for a lock, once there is one. */
async function backendWaitingForLock(database: TestDatabase): Promise<number> {
  const deadline = Date.now() + WATCH_MS;
  for (;;) {
    const rows = await queryRows<{ pid: number }>(
      database,
      "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if (rows[0]) return rows[0].pid;
    if (Date.now() > deadline) throw new Error("no backend started waiting for a lock");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (postgresAdminUrl()) {
  describe("workflow.create group commit [postgres]", () => {
    let database: TestDatabase;
    let store: Store;
    const batches: number[] = [];

    before(async () => {
      database = await createTestDatabase("postgres");
      store = openStore(database.target, { onCreateBatch: (size) => batches.push(size) });
      await store.migrate();
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    /**
     * Runs `during` while another transaction holds an uncommitted claim on `email`, then commits
     * it: a batch's statement cannot see the claim, passes its check, and waits on the unique index.
     */
    async function whileClaimedElsewhere(accountId: string, email: string, during: () => Promise<void>) {
      await store.transaction(async (tx) => {
        const record = subjectRecord(accountId);
        await tx.insertSubjectRecord(record);
        await tx.insertWorkflow({
          workflow: workflow(record, "BUSINESS_APPLICATION", { email }),
          emailClaim: email,
        });
        await during();
      });
    }

    /** Submits every plan in the same turn of the event loop, so they can share a batch. */
    function createTogether(plans: GuardedPlan[]) {
      batches.length = 0;
      return Promise.allSettled(plans.map((plan) => store.write(unitOf(plan))));
    }

    it("simultaneous creates share transactions, and every one is answered and written", async () => {
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      const plans = Array.from({ length: 40 }, (_, i) =>
        createPlan(acc, i % 2 === 0 ? { email: `ann+${i}.${uniqueTail()}@example.com` } : {}),
      );
      const outcomes = await createTogether(plans);
      assert.deepEqual(
        answersOf(outcomes, plans),
        plans.map(() => "ok"),
      );
      assert.equal(
        batches.reduce((a, b) => a + b, 0),
        40,
      );
      assert.ok(Math.max(...batches) > 1, `batch sizes ${batches.join(",")}`);

      const workflowIds = plans.map((p) => p.workflow.id);
      assert.equal(await countWhere(database, "workflows", workflowIds), 40);
      assert.equal(
        await countWhere(
          database,
          "events",
          plans.map((p) => p.event.id),
        ),
        40,
      );
      assert.equal(
        await countWhere(
          database,
          "subject_records",
          plans.map((p) => p.newSubjectRecord?.id ?? ""),
        ),
        40,
      );
      const transactions = await transactionsThatWrote(database, workflowIds);
      assert.ok(transactions < 40, `${transactions} transactions for 40 creates`);
    });

    it("a failing statement rolls its batch back; each request then gets its answer as if alone", async () => {
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      const existing = createPlan(acc);
      assert.equal(await createAnswer(store, existing), "ok");
      const first = createPlan(acc, { email: `ann.${uniqueTail()}@example.com` });
      // The same workflow ID as an existing one: a primary-key violation, an error and no rule.
      const failing = createPlan(acc, { workflowId: existing.workflow.id });
      const other = createPlan(acc);

      const [a, b, c] = await createTogether([first, failing, other]);
      assert.deepEqual(batches, [3]);
      assert.equal(answerOf(a, first), "ok");
      assert.equal(b?.status, "rejected");
      const error = (b as PromiseRejectedResult).reason;
      assert.ok(!(error instanceof ApiError), "a primary-key violation is no rule");
      assert.equal((error as { code?: string }).code, "23505");
      assert.equal(answerOf(c, other), "ok");

      assert.equal(await countWhere(database, "workflows", [first.workflow.id, other.workflow.id]), 2);
      // Rerun alone: each in a transaction of its own.
      assert.equal(await transactionsThatWrote(database, [first.workflow.id, other.workflow.id]), 2);
      assert.equal(
        await countWhere(database, "events", [first.event.id, other.event.id, failing.event.id]),
        2,
      );
      assert.equal(
        await countWhere(database, "subject_records", [failing.newSubjectRecord?.id ?? ""]),
        0,
        "no partial write of the failed request",
      );
    });

    it("one batch answers every verdict, each create its own, in one transaction", async () => {
      const cases = await verdictCases(store);
      const outcomes = await createTogether(cases.map(({ plan }) => plan));
      assert.deepEqual(batches, [cases.length]);
      assert.deepEqual(
        cases.map(({ name, plan }, i) => `${name}: ${answerOf(outcomes[i], plan)}`),
        cases.map(({ name, expected }) => `${name}: ${expected}`),
      );
      const accepted = cases.filter(({ expected }) => expected === "ok").map(({ plan }) => plan.workflow.id);
      assert.equal(await countWhere(database, "workflows", accepted), accepted.length);
      assert.equal(await transactionsThatWrote(database, accepted), 1);
      const refused = cases.filter(({ expected }) => expected !== "ok").map(({ plan }) => plan.workflow.id);
      assert.equal(await countWhere(database, "workflows", refused), 0);
    });

    /**
     * Three pairs of creates in one account, each pair claiming one key: the same applicant
     * email, the same nonce, a business application on the same subject record.
     */
    async function conflictingPairs(): Promise<[string, GuardedPlan[]][]> {
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      const email = `eve.${uniqueTail()}@example.com`;
      const record = subjectRecord(acc.id);
      await store.insertSubjectRecord(record);
      const nonce = { apiKey: "sb_batch", nonce: `n-${uniqueTail()}`, now: at(100), seenSince: at(50) };
      const application = () =>
        planOnRecord(acc, record, "BUSINESS_APPLICATION", { email: `f.${uniqueTail()}@example.com` });
      return [
        ["email", [createPlan(acc, { email }), createPlan(acc, { email: email.toUpperCase() })]],
        [
          "nonce",
          [
            { ...createPlan(acc), nonce },
            { ...createPlan(acc), nonce },
          ],
        ],
        ["application", [application(), application()]],
      ];
    }

    it("creates that decide each other's verdict go in separate batches, and are answered in order", async () => {
      const pairs = await conflictingPairs();
      const bystander = createPlan(await seedAccount(store));
      const plans = [...pairs.flatMap(([, plans]) => plans), bystander];
      const outcomes = await createTogether(plans);

      // The second of each pair waits for the next batch.
      assert.deepEqual(batches, [4, 3]);
      assert.deepEqual(answersOf(outcomes, plans), [
        "ok",
        "duplicate_email",
        "ok",
        "nonce_reused",
        "ok",
        "business_application_limit",
        "ok",
      ]);
    });

    it("the statements refuse two creates that claim the same key rather than write both", async () => {
      const pairs = await conflictingPairs();
      const compiler = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: postgresAdminUrl() }) }),
      });
      try {
        for (const [key, plans] of pairs) {
          const creates = plans.map((plan) => batchedCreateOf(unitOf(plan)));
          const [one, two] = creates.map((create) => create.conflictKeys);
          assert.ok(
            one?.some((claimed) => two?.includes(claimed)),
            `${key}: the creates claim a key in common`,
          );
          // Both statements in one transaction, as a batch runs them: the facts statement
          // refuses a nonce claimed twice; facts read before either insert let both pass their
          // rules, and the insert statement then refuses the second claim on the rule index.
          await assert.rejects(
            inOneTransaction(database, async (client) => {
              const facts = factsStatementOf(compiler, creates);
              const rows = (await client.query<FactsRow>(facts.sql, [...facts.parameters])).rows;
              const inserts = rows.map((row, i) => decideBatchedCreate(creates[i] as never, row));
              const accepted = inserts.flatMap((d) => (d.kind === "accepted" ? [d.insert] : []));
              assert.equal(accepted.length, 2, `${key}: each passes its rules on the facts alone`);
              const insert = insertStatementOf(compiler, accepted);
              await client.query(insert.sql, [...insert.parameters]);
            }),
            (error: { code?: string }) => error.code === "23505" || error.code === "21000",
            key,
          );
          assert.equal(
            await countWhere(
              database,
              "workflows",
              plans.map((p) => p.workflow.id),
            ),
            0,
            key,
          );
        }
      } finally {
        await compiler.destroy();
      }
    });

    it("a batch that hangs holds up the creates behind it for milliseconds, not until it ends", async () => {
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      const email = `lee.${uniqueTail()}@example.com`;
      const blocked = createPlan(acc, { email });
      const later = [createPlan(acc), createPlan(acc), createPlan(acc)];
      let first: Promise<PromiseSettledResult<unknown>[]> | undefined;
      let rest: PromiseSettledResult<unknown>[] = [];
      await whileClaimedElsewhere(acc.id, email, async () => {
        first = createTogether([blocked]);
        await backendWaitingForLock(database);
        // Fewer than a busy batch's worth: they wait a moment for the batch being written, then
        // go on a connection of their own while it is still blocked.
        rest = await within(WATCH_MS, Promise.allSettled(later.map((plan) => store.write(unitOf(plan)))));
      });
      assert.deepEqual(answersOf(rest, later), ["ok", "ok", "ok"]);
      assert.deepEqual(answersOf((await first) ?? [], [blocked]), ["duplicate_email"]);
      assert.deepEqual(batches, [1, 3]);
    });

    it("the statement's cached plan, made on empty tables, looks every row up by its key", async () => {
      // The plan a server caches on a new database stays in use while the tables grow: it must
      // not scan a table (or a whole index) per create, however cheap that looked when empty.
      const fresh = await createTestDatabase("postgres");
      const freshStore = openStore(fresh.target);
      try {
        await freshStore.migrate();
        const statement = await oneCreateStatement(await seedAccount(freshStore));
        const lines = await genericPlan(fresh, statement.sql, statement.parameters[0]);
        assert.ok(lines.length > 10, lines.join("\n"));
        assert.deepEqual(
          lines.filter((line) => /Seq Scan on (?!input|checked|fresh_nonce)/.test(line)),
          [],
        );
        lines.forEach((line, i) => {
          if (/Index (Only )?Scan using \w+ on \w+/.test(line)) {
            assert.match(lines[i + 1] ?? "", /Index Cond/, `${line}\n${lines[i + 1]}`);
          }
        });
      } finally {
        await freshStore.close();
        await fresh.drop();
      }
    });

    it("the server's connections never JIT-compile the statement, however costly it looks", async () => {
      // On tables that grew faster than autovacuum analyzed them, the planner guessed hundreds of
      // workflows per subject record, the statement's estimated cost passed jit_above_cost, and
      // every batch spent 35-90 ms compiling it with LLVM (docs/performance.md). A cost threshold
      // of 0 stands in for the grown tables here.
      assert.equal(database.target.kind, "postgres");
      const statement = await oneCreateStatement(await seedAccount(store));
      const plain = new pg.Client({ connectionString: database.target.url });
      const servers = newPool({ connectionString: database.target.url, max: 1, pipeline: true });
      await plain.connect();
      try {
        const [available] = await queryRows<{ on: boolean }>(database, "select pg_jit_available() as on");
        await plain.query("set jit_above_cost = 0");
        const plainPlan = await planOn(plain, statement.sql, statement.parameters[0]);
        // Where this PostgreSQL can compile at all, an ordinary connection would.
        assert.equal(
          plainPlan.some((line) => line.startsWith("JIT:")),
          available?.on,
          plainPlan.join("\n"),
        );

        const server = await servers.connect();
        try {
          await server.query("set jit_above_cost = 0");
          const serverPlan = await planOn(server, statement.sql, statement.parameters[0]);
          assert.ok(serverPlan.length > 10, serverPlan.join("\n"));
          assert.deepEqual(
            serverPlan.filter((line) => line.startsWith("JIT:")),
            [],
          );
        } finally {
          server.release();
        }
      } finally {
        await plain.end();
        await servers.end();
      }
    });

    it("a rule index hit by another transaction fails the batch, and the rerun answers the rule", async () => {
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      const email = `bea.${uniqueTail()}@example.com`;
      const contested = createPlan(acc, { email });
      const bystander = createPlan(acc);
      let settled: Promise<PromiseSettledResult<unknown>[]> | undefined;
      await whileClaimedElsewhere(acc.id, email, async () => {
        settled = createTogether([contested, bystander]);
        await backendWaitingForLock(database);
      });
      const outcomes = (await settled) ?? [];

      assert.deepEqual(batches, [2]);
      assert.deepEqual(answersOf(outcomes, [contested, bystander]), ["duplicate_email", "ok"]);
      assert.equal(
        await countWhere(database, "workflows", [contested.workflow.id, bystander.workflow.id]),
        1,
      );
      assert.equal(await countWhere(database, "workflows", [bystander.workflow.id]), 1);
    });

    it("a connection lost mid-batch fails every request of it as unavailable, and writes none of it", async () => {
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      const email = `cy.${uniqueTail()}@example.com`;
      const blocked = createPlan(acc, { email });
      const bystander = createPlan(acc);
      let outcomes: PromiseSettledResult<unknown>[] = [];
      await whileClaimedElsewhere(acc.id, email, async () => {
        const settled = createTogether([blocked, bystander]);
        const pid = await backendWaitingForLock(database);
        await queryRows(database, "select pg_terminate_backend($1)", [pid]);
        outcomes = await settled;
      });

      assert.deepEqual(batches, [2]);
      assert.equal(outcomes.length, 2);
      for (const outcome of outcomes) {
        assert.equal(outcome.status, "rejected");
        assert.ok(isDatabaseUnavailable((outcome as PromiseRejectedResult).reason), String(outcome));
      }
      assert.equal(await countWhere(database, "workflows", [blocked.workflow.id, bystander.workflow.id]), 0);
      // The pool dropped the dead connection: the next create succeeds.
      assert.equal(await createAnswer(store, createPlan(acc)), "ok");
    });

    it("a lone create that loses its connection fails as unavailable, and creates go on", async () => {
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      const email = `di.${uniqueTail()}@example.com`;
      const lone = createPlan(acc, { email });
      let outcomes: PromiseSettledResult<unknown>[] = [];
      await whileClaimedElsewhere(acc.id, email, async () => {
        const settled = createTogether([lone]);
        const pid = await backendWaitingForLock(database);
        await queryRows(database, "select pg_terminate_backend($1)", [pid]);
        outcomes = await settled;
      });

      assert.deepEqual(batches, [1]);
      assert.equal(outcomes[0]?.status, "rejected");
      assert.ok(isDatabaseUnavailable((outcomes[0] as PromiseRejectedResult).reason));
      // Creates go on being served (the batcher releases the connection as broken rather than
      // leave it to pg noticing the socket's end).
      for (let i = 0; i < 3; i++) assert.equal(await createAnswer(store, createPlan(acc)), "ok");
    });
  });
}
