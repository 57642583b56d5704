/**
 * The speed-ups below the Store interface give the plain path's answers (issue 12, item 3): random
 * sequences of workflow.create, including conflicting ones, through the store as `serve` opens it
 * (PostgreSQL: the create batch; SQLite: the writer thread and its group commit) and through the
 * plain path (`openStore(…, { speedUps: false })`: each unit of work in a transaction of its
 * own), each on a fresh database, must give the same verdict per create and the same rows in
 * subject_records, workflows, events, nonces and webhook_deliveries after every step (the own
 * account has two webhook endpoints and a deleted one, the multi account one, the stranger none).
 *
 * The universe is small so that creates collide: an organization with two accounts (one refuses a
 * second application per email, one allows it) and an account of another organization; a live and
 * a revoked credential; pricing models and equipment collections of each account; subject records
 * of both types, of each account, missing, or made by an earlier create; three emails in several
 * cases; fresh, reused, stale and recently used nonces, with the clock moving on between steps.
 * Every verdict workflow.create can give is reachable (and the first run, a fixed tour, reaches
 * each; the test checks that every verdict was seen). The application makes every ID and time, and
 * the plans carry them, so the generator names them and both databases get the same rows: no
 * normalisation is needed.
 *
 * Steps are groups of up to four creates submitted together (one turn of the event loop), so the
 * batch and the group commit really combine them (on PostgreSQL the test checks a batch held more
 * than one). Creates submitted together have no order — HTTP gives them none — so the speed-up may
 * answer them as if they came in any order, but in SOME order: the plain path tries the group in
 * submission order first and then in every other order (at most 24), each inside a transaction it
 * rolls back, and the group passes when one order gives the speed-up's verdicts; that order is
 * then committed and the rows must be equal too. (The batch does reorder: of A, B, C where B
 * shares A's nonce and C's email, C may go in A's batch and B in the next.) Within a group a create
 * names only subject records made in EARLIER steps, since a client learns a record's ID only from
 * the answer. A rule error thrown instead of a verdict (the store's contract for a rule-index race)
 * counts as the verdict it stands for, as the HTTP layer answers both alike.
 *
 * Replay a failure with the seed fast-check prints: `FUZZ_SEED=<seed> npm test -- store-differential`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import fc from "fast-check";
import pg from "pg";
import { createWorkflow } from "../src/domain/create-workflow.js";
import type { Account, CredentialRecord, SubjectRecord, WorkflowType } from "../src/domain/records.js";
import type { VisibilityScope } from "../src/domain/visibility.js";
import { openStore } from "../src/store/open.js";
import { settleGuard } from "../src/store/shared/unit-of-work.js";
import type { Store } from "../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { fuzzParameters } from "./support/fuzz-http.js";
import { executeSql } from "./support/sql.js";
import {
  account,
  answerOfError,
  at,
  CREATE_ANSWERS,
  credential,
  type GuardedPlan,
  uniqueTail,
  unitOf,
  workflow,
} from "./support/store-fixtures.js";

/** One create, in the universe's terms; `materialize` turns it into the handler's plan. */
interface Create {
  account: "own" | "multi" | "stranger" | "missing";
  scope: "organization" | "listed" | "other organization";
  credential: "none" | "live" | "revoked";
  nonce: "none" | "n1" | "n2" | "n3" | "stale" | "recent";
  type: WorkflowType;
  record:
    | { kind: "new" }
    | { kind: "seeded"; which: "free" | "applied" | "person" | "multi's" | "stranger's" | "missing" }
    | { kind: "earlier"; index: number };
  email: string;
  pricing: "none" | "own" | "other" | "missing";
  equipment: "none" | "own" | "other" | "missing";
}

type Step = Create[];

const EMAILS = [
  "ann@example.com",
  "ANN@example.com",
  "Ann@Example.COM",
  "bob@example.com",
  "BOB@example.com",
  "cy@example.com",
];

/** Weighted so most creates pass the early checks and reach the rules that depend on each other. */
const createArb: fc.Arbitrary<Create> = fc.record({
  account: fc.constantFrom("own", "own", "own", "own", "multi", "multi", "stranger", "missing"),
  scope: fc.constantFrom(
    "organization",
    "organization",
    "organization",
    "organization",
    "listed",
    "other organization",
  ),
  credential: fc.constantFrom("none", "none", "none", "live", "live", "revoked"),
  nonce: fc.constantFrom("none", "none", "none", "n1", "n2", "n3", "stale", "recent"),
  type: fc.constantFrom<WorkflowType>(
    "BUSINESS_APPLICATION",
    "BUSINESS_APPLICATION",
    "BUSINESS_APPLICATION",
    "BUSINESS_APPLICATION",
    "ACCOUNT_PROVISIONING",
    "ACCOUNT_PROVISIONING",
    "BUSINESS_UNDERWRITING",
  ),
  record: fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: "new" as const }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("seeded" as const),
        which: fc.constantFrom("free", "applied", "person", "multi's", "stranger's", "missing"),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("earlier" as const), index: fc.nat(40) }) },
  ),
  email: fc.constantFrom(...EMAILS),
  pricing: fc.constantFrom("none", "none", "none", "own", "other", "missing"),
  equipment: fc.constantFrom("none", "none", "none", "own", "other", "missing"),
});

/** Up to 20 creates: at most five steps of at most four creates submitted together. */
const sequenceArb = fc.array(fc.array(createArb, { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 5,
});

const plainCreate: Create = {
  account: "own",
  scope: "organization",
  credential: "none",
  nonce: "none",
  type: "BUSINESS_APPLICATION",
  record: { kind: "new" },
  email: "cy@example.com",
  pricing: "none",
  equipment: "none",
};
const tourCreate = (overrides: Partial<Create>): Create => ({ ...plainCreate, ...overrides });

/** The first run: every verdict, and groups whose creates decide each other's. */
const TOUR: Step[] = [
  [
    tourCreate({ credential: "live", nonce: "n1", pricing: "own", equipment: "own" }),
    tourCreate({ type: "ACCOUNT_PROVISIONING", record: { kind: "seeded", which: "free" } }),
    tourCreate({ account: "multi", email: "BOB@example.com" }),
    tourCreate({ credential: "revoked", nonce: "n2" }),
  ],
  [
    tourCreate({ nonce: "recent" }),
    tourCreate({ account: "stranger" }),
    tourCreate({ account: "multi", scope: "listed" }),
    tourCreate({ type: "BUSINESS_UNDERWRITING" }),
  ],
  [
    tourCreate({ record: { kind: "seeded", which: "missing" } }),
    tourCreate({ type: "ACCOUNT_PROVISIONING", record: { kind: "seeded", which: "multi's" } }),
    tourCreate({ email: "ann@example.com", record: { kind: "seeded", which: "person" } }),
    tourCreate({ email: "bob@example.com", pricing: "other" }),
  ],
  [
    tourCreate({ email: "bob@example.com", equipment: "other" }),
    tourCreate({ email: "bob@example.com", record: { kind: "seeded", which: "applied" } }),
    tourCreate({ email: "ANN@example.com" }),
    tourCreate({ email: "cy@example.com", record: { kind: "earlier", index: 0 } }),
  ],
  // Creates that collide: one nonce, and two emails each in two cases.
  [
    tourCreate({ nonce: "n3", email: "fay@example.com" }),
    tourCreate({ nonce: "n3", email: "gus@example.com" }),
    tourCreate({ email: "FAY@example.com" }),
    tourCreate({ email: "GUS@example.com" }),
  ],
];

/** What one run seeds identically into both databases; every ID carries the run's tag. */
interface Universe {
  tag: string;
  own: Account;
  multi: Account;
  stranger: Account;
  live: CredentialRecord;
  revoked: CredentialRecord;
  records: Record<"free" | "applied" | "person" | "multi's" | "stranger's", SubjectRecord>;
  pricing: Record<"own" | "multi", string>;
  equipment: Record<"own" | "multi", string>;
}

function universeFor(tag: string): Universe {
  const organizationId = `org_${tag}`;
  const strangerOrganizationId = `org_${tag}x`;
  const own = account(organizationId, { id: `sb_${tag}own`, allow_multiple_applications_per_email: false });
  const multi = account(organizationId, {
    id: `sb_${tag}multi`,
    allow_multiple_applications_per_email: true,
  });
  const stranger = account(strangerOrganizationId, { id: `sb_${tag}stranger` });
  const record = (name: string, owner: Account, type: SubjectRecord["type"] = "BUSINESS"): SubjectRecord => ({
    id: `sr_${tag}${name}`,
    account_id: owner.id,
    type,
    created_at: at(2),
    updated_at: at(2),
  });
  return {
    tag,
    own,
    multi,
    stranger,
    live: credential(organizationId, { api_key: `sb_${tag}live` }),
    revoked: credential(organizationId, { api_key: `sb_${tag}revoked` }),
    records: {
      free: record("free", own),
      applied: record("applied", own),
      person: record("person", own, "PERSON"),
      "multi's": record("multis", multi),
      "stranger's": record("strangers", stranger),
    },
    pricing: { own: `pm_${tag}own`, multi: `pm_${tag}multi` },
    equipment: { own: `ec_${tag}own`, multi: `ec_${tag}multi` },
  };
}

async function seed(store: Store, u: Universe): Promise<void> {
  await store.insertOrganization({ id: u.own.organization_id, name: "Differential", created_at: at(0) });
  await store.insertOrganization({ id: u.stranger.organization_id, name: "Stranger", created_at: at(0) });
  for (const acc of [u.own, u.multi, u.stranger]) await store.insertAccount(acc);
  await store.insertCredential(u.live);
  await store.insertCredential(u.revoked);
  await store.revokeCredential(u.revoked.api_key, at(6));
  for (const owner of ["own", "multi"] as const) {
    const accountId = u[owner].id;
    await store.insertPricingModel({
      id: u.pricing[owner],
      account_id: accountId,
      name: "PM",
      created_at: at(6),
    });
    await store.insertEquipmentCollection({
      id: u.equipment[owner],
      account_id: accountId,
      name: "EC",
      created_at: at(6),
    });
  }
  for (const record of Object.values(u.records)) await store.insertSubjectRecord(record);
  // An application already on "applied", claiming ann@ in the account that refuses duplicates,
  // and one with bob@ in the account that allows them.
  for (const [record, email, claim] of [
    [u.records.applied, "ann@example.com", "ann@example.com"],
    [u.records["multi's"], "bob@example.com", null],
  ] as const) {
    await store.insertWorkflow({
      workflow: workflow(record, "BUSINESS_APPLICATION", { id: `w_${record.id.slice(3)}seed`, email }),
      emailClaim: claim,
    });
  }
  assert.equal(await store.claimNonce(u.live.api_key, "stale", at(10), at(0)), true);
  assert.equal(await store.claimNonce(u.live.api_key, "recent", at(95), at(0)), true);
}

/** Webhook endpoints, written past the store: each create's event fans out to its account's active ones. */
async function seedEndpoints(database: TestDatabase, u: Universe): Promise<void> {
  const endpoint = (name: string, owner: Account, deletedAt: string | null): [string, unknown[]] => [
    "insert into webhook_configs (id, account_id, url, created_at, updated_at, deleted_at) values ($1, $2, $3, $4, $5, $6)",
    [`whc_${u.tag}${name}`, owner.id, `https://example.com/${u.tag}/${name}`, at(3), at(3), deletedAt],
  ];
  await executeSql(database, [
    endpoint("own1", u.own, null),
    endpoint("own2", u.own, null),
    endpoint("owngone", u.own, at(4)),
    endpoint("multi", u.multi, null),
  ]);
}

/** Each step's clock: 30 s on from the last, with a 50 s nonce window. */
const stepNow = (step: number) => at(100 + 30 * step);
const stepSeenSince = (step: number) => at(50 + 30 * step);

/** The handler's plan for a create of step `step`, position `position`. */
function materialize(
  u: Universe,
  create: Create,
  step: number,
  position: number,
  earlierRecords: readonly string[],
): GuardedPlan {
  const name = `${u.tag}s${step}c${position}`;
  const now = stepNow(step);
  const owner = { own: u.own, multi: u.multi, stranger: u.stranger, missing: undefined }[create.account];
  const accountId = owner?.id ?? `sb_${u.tag}missing`;
  const scope: VisibilityScope = {
    organization_id:
      create.scope === "other organization" ? u.stranger.organization_id : u.own.organization_id,
    environment: "sandbox",
    account_ids: create.scope === "listed" ? [u.own.id] : null,
  };
  let subjectRecordId: string | null = null;
  let newSubjectRecord: SubjectRecord | null = null;
  if (create.record.kind === "new") {
    newSubjectRecord = {
      id: `sr_${name}`,
      account_id: accountId,
      type: "BUSINESS",
      created_at: now,
      updated_at: now,
    };
  } else if (create.record.kind === "seeded") {
    const which = create.record.which;
    subjectRecordId = which === "missing" ? `sr_${u.tag}missing` : u.records[which].id;
  } else {
    subjectRecordId =
      earlierRecords[create.record.index % Math.max(1, earlierRecords.length)] ?? `sr_${u.tag}none`;
  }
  const recordId = subjectRecordId ?? (newSubjectRecord as SubjectRecord).id;
  const entity = (choice: Create["pricing"], ids: Record<"own" | "multi", string>, prefix: string) => {
    const mine = create.account === "multi" ? "multi" : "own";
    if (choice === "none") return null;
    if (choice === "own") return ids[mine];
    if (choice === "other") return ids[mine === "own" ? "multi" : "own"];
    return `${prefix}${u.tag}missing`;
  };
  const apiKey = create.credential === "revoked" ? u.revoked.api_key : u.live.api_key;
  const wf = {
    id: `w_${name}`,
    account_id: accountId,
    subject_record_id: recordId,
    type: create.type,
    state: "CREATED" as const,
    details:
      create.type === "BUSINESS_APPLICATION"
        ? {
            applying_user: { email: create.email, first_name: "Ann", last_name: null },
            pricing_model_id: entity(create.pricing, u.pricing, "pm_"),
            equipment_collection_id: entity(create.equipment, u.equipment, "ec_"),
            referrer_value: null,
          }
        : null,
    started_at: null,
    ended_at: null,
    created_at: now,
    updated_at: now,
  };
  return {
    scope,
    accountId,
    creatable: create.type !== "BUSINESS_UNDERWRITING",
    subjectRecordId,
    requiredSubjectRecordType: "BUSINESS",
    newSubjectRecord,
    workflow: wf,
    event: {
      id: `wh_${name}`,
      event_type: "WORKFLOW_CREATED",
      account_id: accountId,
      subject_record_id: recordId,
      workflow_id: wf.id,
      workflow_type: wf.type,
      actor_type: "API_KEY",
      actor_id: apiKey,
      created_at: now,
      payload: null,
    },
    credentialToConfirm: create.credential === "none" ? null : apiKey,
    nonce:
      create.nonce === "none" ? null : { apiKey, nonce: create.nonce, now, seenSince: stepSeenSince(step) },
  };
}

/** A create's answer: its verdict, or the verdict a rule error stands for, or the error. */
/** A create's answer: "ok", the guard's or the rule's refusal it stands for, or the error itself. */
function answerOf(outcome: PromiseSettledResult<unknown>, plan: GuardedPlan): string {
  if (outcome.status === "fulfilled") return "ok";
  try {
    return answerOfError(outcome.reason, plan);
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

/** The rows a run's creates may write, read past the store on a connection of the test's own. */
interface StateReader {
  rows(u: Universe): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}

/** Per table: its query (placeholders `$n`, each used once, in order) and its parameters. */
const STATE_QUERIES: Record<string, [string, (u: Universe) => string[]]> = {
  subject_records: ["select * from subject_records where account_id in ($1, $2, $3) order by id", accountsOf],
  workflows: ["select * from workflows where account_id in ($1, $2, $3) order by id", accountsOf],
  // Not the stream's positions (008_event_stream.ts): a transaction ID differs between any two runs.
  events: [
    `select id, event_type, account_id, subject_record_id, workflow_id, workflow_type, actor_type, actor_id,
       created_at, payload from events where account_id in ($1, $2, $3) order by id`,
    accountsOf,
  ],
  webhook_deliveries: [
    "select * from webhook_deliveries where account_id in ($1, $2, $3) order by event_id, config_id",
    accountsOf,
  ],
  nonces: [
    "select * from nonces where api_key in ($1, $2) order by api_key, nonce",
    (u) => [u.live.api_key, u.revoked.api_key],
  ],
};

function accountsOf(u: Universe): string[] {
  return [u.own.id, u.multi.id, u.stranger.id];
}

function stateReader(database: TestDatabase): StateReader {
  if (database.target.kind === "sqlite") {
    const db = new BetterSqlite3(database.target.path, { readonly: true, timeout: 5000 });
    return {
      async rows(u) {
        return Object.fromEntries(
          Object.entries(STATE_QUERIES).map(([table, [text, params]]) => [
            table,
            db.prepare(text.replace(/\$\d/g, "?")).all(...params(u)),
          ]),
        );
      },
      close: async () => {
        db.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: database.target.url, max: 1 });
  return {
    async rows(u) {
      const state: Record<string, unknown[]> = {};
      for (const [table, [text, params]] of Object.entries(STATE_QUERIES))
        state[table] = (await pool.query(text, params(u))).rows;
      return state;
    },
    close: () => pool.end(),
  };
}

function* permutations(n: number): Generator<number[]> {
  const order = Array.from({ length: n }, (_, i) => i);
  yield [...order];
  // Heap's algorithm, after the submission order itself.
  const c = new Array<number>(n).fill(0);
  for (let i = 1; i < n; ) {
    if ((c[i] as number) < i) {
      const j = i % 2 === 0 ? 0 : (c[i] as number);
      [order[j], order[i]] = [order[i] as number, order[j] as number];
      yield [...order];
      c[i] = (c[i] as number) + 1;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

class NotThisOrder extends Error {}

/**
 * Runs a group through the plain path in the first order (submission order first) whose verdicts
 * are `expected`, and commits it; returns the plain answers in submission order when no order
 * matches. A lone create goes through the plain store's own unit of work. In a group, each
 * create's guard and rules run one after another in the one transaction, as a unit would.
 */
async function plainInSomeOrder(
  plain: Store,
  plans: GuardedPlan[],
  expected: string[],
): Promise<{ matched: boolean; answers: string[] }> {
  if (plans.length === 1) {
    const plan = plans[0] as GuardedPlan;
    const [outcome] = await Promise.allSettled([plain.write(unitOf(plan))]);
    const answers = [answerOf(outcome, plan)];
    return { matched: answers[0] === expected[0], answers };
  }
  let inSubmissionOrder: string[] | undefined;
  for (const order of permutations(plans.length)) {
    const answers: string[] = new Array(plans.length);
    try {
      await plain.transaction(async (tx) => {
        for (const i of order) {
          const plan = plans[i] as GuardedPlan;
          const unit = unitOf(plan);
          const [outcome] = await Promise.allSettled([
            settleGuard(tx, unit.guard).then(() => createWorkflow(tx, unit.input)),
          ]);
          answers[i] = answerOf(outcome, plan);
        }
        if (answers.some((answer, i) => answer !== expected[i])) throw new NotThisOrder();
      });
      return { matched: true, answers };
    } catch (error) {
      if (!(error instanceof NotThisOrder)) throw error;
      inSubmissionOrder ??= answers;
    }
  }
  return { matched: false, answers: inSubmissionOrder ?? [] };
}

for (const kind of databaseKinds()) {
  describe(`speed-ups answer as the plain path does [${kind}]`, () => {
    const databases: TestDatabase[] = [];
    let fast: Store;
    let plain: Store;
    let fastState: StateReader;
    let plainState: StateReader;
    const batches: number[] = [];

    before(async () => {
      const [fastDatabase, plainDatabase] = await Promise.all([
        createTestDatabase(kind),
        createTestDatabase(kind),
      ]);
      databases.push(fastDatabase, plainDatabase);
      // As `serve` opens it (test/support/server.ts), and the plain path.
      fast = openStore(fastDatabase.target, {
        poolSize: 10,
        sqliteWriterThread: true,
        onCreateBatch: (size) => batches.push(size),
      });
      plain = openStore(plainDatabase.target, { speedUps: false });
      await fast.migrate();
      await plain.migrate();
      fastState = stateReader(fastDatabase);
      plainState = stateReader(plainDatabase);
    });
    after(async () => {
      await fastState?.close();
      await plainState?.close();
      await fast?.close();
      await plain?.close();
      for (const database of databases) await database.drop();
    });

    it("random sequences of creates, alone and together, give the same verdicts and the same rows", async () => {
      const seen = new Set<string>();
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(sequenceArb, async (steps) => {
          const u = universeFor(`${uniqueTail()}r${runs++}`);
          await seed(fast, u);
          await seed(plain, u);
          await seedEndpoints(databases[0] as TestDatabase, u);
          await seedEndpoints(databases[1] as TestDatabase, u);
          const earlierRecords: string[] = [];
          for (const [step, creates] of steps.entries()) {
            const plans = creates.map((create, position) =>
              materialize(u, create, step, position, earlierRecords),
            );
            // Submitted in one turn of the event loop, so that they can share a batch.
            const outcomes = await Promise.allSettled(plans.map((plan) => fast.write(unitOf(plan))));
            const answers = outcomes.map((outcome, i) => answerOf(outcome, plans[i] as GuardedPlan));
            for (const answer of answers) seen.add(answer);
            const reference = await plainInSomeOrder(plain, plans, answers);
            assert.ok(
              reference.matched,
              `step ${step}: the speed-up answered ${JSON.stringify(answers)}, which no order of the ` +
                `plain path gives (in submission order: ${JSON.stringify(reference.answers)})`,
            );
            const fastRows = await fastState.rows(u);
            assert.deepEqual(fastRows, await plainState.rows(u), `rows after step ${step}`);
            // Each accepted create's event fans out to its account's active endpoints only.
            const expectedDeliveries = (fastRows.events as { account_id: string }[]).reduce(
              (sum, event) =>
                sum + (event.account_id === u.own.id ? 2 : event.account_id === u.multi.id ? 1 : 0),
              0,
            );
            assert.equal(
              fastRows.webhook_deliveries?.length,
              expectedDeliveries,
              `deliveries after step ${step}`,
            );
            for (const plan of plans)
              if (plan.newSubjectRecord) earlierRecords.push(plan.newSubjectRecord.id);
          }
        }),
        { ...fuzzParameters<[Step[]]>(40), includeErrorInReport: true, examples: [[TOUR]] },
      );
      assert.deepEqual(
        CREATE_ANSWERS.filter((answer) => !seen.has(answer)),
        [],
        "every verdict was answered at least once",
      );
      assert.deepEqual(
        [...seen].filter((answer) => !(CREATE_ANSWERS as readonly string[]).includes(answer)),
        [],
      );
      if (kind === "postgres") assert.ok(Math.max(...batches) > 1, `batch sizes: ${batches.join(",")}`);
    });
  });
}
