/**
 * Subject-record data keeps its integrity under any sequence of writes (issue 13): fast-check
 * generates sequences of data writes and deletes over three BUSINESS subject records — two of one
 * account and one of another account the same credential sees — and sends them through the real
 * HTTP server. Each operation picks its IDs from those created so far in ANY record (so links
 * across records are attempted on purpose), a deleted one, or occasionally an unknown one. Most
 * steps send one request; some send two at once (Promise.all), so deletes race adds.
 *
 * After every sequence, reading the database directly (past the store and the API):
 *  1. no dangling reference: every owner's business and person exist, every bank-account
 *     association's business and bank account exist (and its purposes name the association's own
 *     pair), every sales info's business exists, every entity's subject record exists;
 *  2. no cross-record link: an owner's person and business, an association's bank account and
 *     business, are in the same subject record;
 *  3. every request was answered 200, or 4xx in the error envelope — never a 5xx;
 *  and every delete the API answered 200 really removed its row.
 *
 * The records have no workflows, so nothing is frozen and subjectRecord.delete is allowed. One
 * server and one fixture per database; each run makes three fresh records and a few entities in
 * them (startRun), and the checks look at the rows of the IDs the run made, so a violation left by
 * one run does not fail the runs that shrink it. A fixed tour runs first (TOUR) and the test ends
 * by checking that the outcomes worth testing (links across records refused, links made and
 * removed, deletes refused while linked, records deleted with their links) were all reached.
 *
 * Replay a failure with the seed fast-check prints: `FUZZ_SEED=<seed> node scripts/run-tests.mjs
 * test/data-integrity.property.test.ts`; FUZZ_RUNS=<factor> scales the number of runs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CallResult, VettedClient } from "@vetted/client";
import fc from "fast-check";
import { newId } from "../src/domain/ids.js";
import { addBankAccount, createBankAccount } from "./support/bank-accounts.js";
import { createBusiness } from "./support/data.js";
import { databaseKinds } from "./support/databases.js";
import { fuzzParameters } from "./support/fuzz-http.js";
import { addOwner, newPerson } from "./support/owners.js";
import { useTestServer } from "./support/server.js";
import { queryRows } from "./support/sql.js";
import { createSubjectRecord, twoSandboxAccounts } from "./support/workflows.js";

/** Kinds of IDs an operation can name; `record` IDs are the run's three records. */
type Kind = "record" | "business" | "person" | "bankAccount" | "owner" | "association";

/** An ID of the given kind: the `index`-th created so far (modulo), or an unknown one. */
interface Ref {
  unknown: boolean;
  index: number;
}

type Op =
  | { op: "business.create"; record: Ref }
  | { op: "business.delete"; business: Ref }
  | { op: "business.salesInfo.create"; business: Ref }
  | { op: "person.create"; record: Ref }
  | { op: "person.delete"; person: Ref }
  | { op: "bankAccount.create"; record: Ref }
  | { op: "bankAccount.delete"; bankAccount: Ref }
  | { op: "business.addOwner"; business: Ref; person: Ref; control: boolean }
  | { op: "business.removeOwner"; owner: Ref }
  | { op: "business.addBankAccount"; business: Ref; bankAccount: Ref; purposes: string[] }
  | { op: "business.removeBankAccount"; association: Ref }
  | { op: "subjectRecord.delete"; record: Ref };

/** One step: a request alone, or two sent together. */
type Step = Op[];

/** Mostly a known ID (small indexes, so IDs repeat), one time in twelve an unknown one. */
const refArb: fc.Arbitrary<Ref> = fc.record({
  unknown: fc.nat(11).map((n) => n === 0),
  index: fc.nat(5),
});

/** Records are never unknown: the three exist at the start of a run. */
const recordArb: fc.Arbitrary<Ref> = fc.record({ unknown: fc.constant(false), index: fc.nat(2) });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("business.create" as const), record: recordArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("business.delete" as const), business: refArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("business.salesInfo.create" as const), business: refArb }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("person.create" as const), record: recordArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("person.delete" as const), person: refArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("bankAccount.create" as const), record: recordArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("bankAccount.delete" as const), bankAccount: refArb }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("business.addOwner" as const),
      business: refArb,
      person: refArb,
      control: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("business.removeOwner" as const), owner: refArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("business.addBankAccount" as const),
      business: refArb,
      bankAccount: refArb,
      purposes: fc.constantFrom<string[]>([], ["PRIMARY"], ["FEES"], ["SETTLEMENT", "FEES"]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("business.removeBankAccount" as const), association: refArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("subjectRecord.delete" as const), record: recordArb }),
  },
);

/** About twelve requests: up to eighteen steps, one in four of them a pair sent together. */
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(opArb) },
  { weight: 1, arbitrary: fc.tuple(opArb, opArb) },
);
const sequenceArb = fc.array(stepArb, { minLength: 1, maxLength: 18 });

const at = (index: number): Ref => ({ unknown: false, index });
const UNKNOWN: Ref = { unknown: true, index: 0 };

/**
 * The first run, over startRun's universe (records R0 R1 R2; businesses b0 in R0, b1 in R2;
 * persons p0 p1 p2 and bank accounts ba0 ba1 ba2, one per record; owner o0 = b0·p0; association
 * a0 = b0·ba0): links across records and accounts, a duplicate, races of a delete with the
 * removal or the addition of its link, and a record deleted with its links. It makes sure every
 * run of the suite sees the outcomes the last assertion asks for.
 */
const TOUR: Step[] = [
  [{ op: "business.addOwner", business: at(0), person: at(1), control: true }],
  [{ op: "business.addBankAccount", business: at(1), bankAccount: at(0), purposes: [] }],
  [{ op: "business.addOwner", business: at(0), person: at(0), control: false }],
  [
    { op: "business.removeOwner", owner: at(0) },
    { op: "person.delete", person: at(0) },
  ],
  [{ op: "person.create", record: at(0) }],
  [{ op: "business.addOwner", business: at(0), person: at(3), control: true }],
  [
    { op: "business.addBankAccount", business: at(0), bankAccount: at(0), purposes: ["PRIMARY"] },
    { op: "bankAccount.delete", bankAccount: at(0) },
  ],
  [{ op: "business.salesInfo.create", business: at(0) }],
  [{ op: "business.delete", business: at(1) }],
  [{ op: "business.create", record: at(1) }],
  [{ op: "business.addBankAccount", business: at(2), bankAccount: at(1), purposes: ["FEES"] }],
  [{ op: "business.removeBankAccount", association: at(0) }],
  [
    { op: "subjectRecord.delete", record: at(0) },
    { op: "business.addOwner", business: at(0), person: at(3), control: false },
  ],
  [{ op: "bankAccount.delete", bankAccount: UNKNOWN }],
  [{ op: "subjectRecord.delete", record: at(1) }],
];

/** Outcomes every run of the suite must see (the tour reaches each). */
const REQUIRED_OUTCOMES = [
  "business.addOwner OK",
  "business.addOwner CROSS_SUBJECT_RECORD_REFERENCE",
  "business.addOwner DUPLICATE_OWNER_ASSOCIATION",
  "business.addBankAccount OK",
  "business.addBankAccount CROSS_SUBJECT_RECORD_REFERENCE",
  "bankAccount.delete ENTITY_NOT_FOUND",
  "business.delete OK",
  "business.removeOwner OK",
  "business.removeBankAccount OK",
  "subjectRecord.delete OK",
];

const ID_KIND = {
  record: "subjectRecord",
  business: "business",
  person: "person",
  bankAccount: "bankAccount",
  owner: "businessOwner",
  association: "businessBankAccount",
} as const;

/** The table of each kind, to check that a delete answered 200 removed its row. */
const TABLE: Record<Kind, string> = {
  record: "subject_records",
  business: "business",
  person: "person",
  bankAccount: "bank_account",
  owner: "business_owner",
  association: "business_bank_account",
};

/** What one run has made and deleted, by kind, in creation order. */
class Universe {
  readonly created: Record<Kind, string[]>;
  readonly deleted: { kind: Kind; id: string }[] = [];
  readonly outcomes: string[] = [];
  constructor(records: string[]) {
    this.created = { record: records, business: [], person: [], bankAccount: [], owner: [], association: [] };
  }
  /** Sales infos are never named by an operation, only checked. */
  readonly salesInfos: string[] = [];
  allIds(): Set<string> {
    return new Set([...Object.values(this.created).flat(), ...this.salesInfos]);
  }
  id(kind: Kind, ref: Ref): string {
    const pool = this.created[kind];
    if (ref.unknown || pool.length === 0) return newId(ID_KIND[kind]);
    return pool[ref.index % pool.length] as string;
  }
}

/**
 * A run's starting point, so that links can succeed from the first step: three records (two of
 * the account, one of the other), a business in the first and the third, a person and a bank
 * account in each, and the first record's business owned by its person and linked to its bank
 * account. Made through the API, one request after another, so the order is fixed.
 */
async function startRun(client: VettedClient, accountId: string, otherId: string): Promise<Universe> {
  const records = [
    await createSubjectRecord(client, accountId),
    await createSubjectRecord(client, accountId),
    await createSubjectRecord(client, otherId),
  ];
  const u = new Universe(records);
  const [first, , third] = records as [string, string, string];
  u.created.business.push((await createBusiness(client, first)).business_id);
  u.created.business.push((await createBusiness(client, third)).business_id);
  for (const record of records) {
    u.created.person.push(await newPerson(client, record));
    u.created.bankAccount.push((await createBankAccount(client, record)).bank_account_id);
  }
  const [business, person, bankAccount] = [
    u.created.business[0],
    u.created.person[0],
    u.created.bankAccount[0],
  ];
  const owner = await addOwner(client, business as string, { person_id: person });
  u.created.owner.push(owner.business_owner_id);
  const association = await addBankAccount(client, business as string, bankAccount as string, []);
  u.created.association.push(association.business_bank_account_id);
  return u;
}

/** An answer in short: `business.addOwner OK`, or the first error's sub_code (or code). */
function outcome(op: Op, result: CallResult<unknown>): string {
  if (result.ok) return `${op.op} OK`;
  const [first] = result.errors;
  return `${op.op} ${first?.sub_code ?? first?.code}`;
}

/** The wire contract of every answer: 200 in the success envelope, or 4xx with the error envelope. */
function assertAnswer(op: Op, result: CallResult<unknown>): void {
  const context = `${op.op} → ${result.status} ${JSON.stringify(result)}`;
  if (result.ok) {
    assert.equal(result.status, 200, context);
    assert.equal(result.meta.status, "SUCCESS", context);
    return;
  }
  assert.ok(result.status >= 400 && result.status < 500, `not a 4xx: ${context}`);
  assert.equal(result.meta.status, "ERROR", context);
  assert.match(result.meta.trace_id, /^trc_/, context);
  assert.ok(Array.isArray(result.errors) && result.errors.length > 0, context);
  for (const error of result.errors) {
    assert.equal(typeof error.code, "string", context);
    assert.equal(typeof error.message, "string", context);
  }
}

/**
 * Sends one operation with IDs resolved now and checks the answer; returns how to record what it
 * made or deleted, which the caller applies in the step's order (not the answers' order), so that
 * a seed replays the same IDs.
 */
async function run(client: VettedClient, u: Universe, op: Op): Promise<() => void> {
  const call = (method: string, body: unknown) =>
    client.call(method as never, body as never) as Promise<
      CallResult<Record<string, Record<string, string>>>
    >;
  const deleting = (kind: Kind, id: string) => (result: CallResult<unknown>) => {
    if (result.ok) u.deleted.push({ kind, id });
  };
  let result: CallResult<Record<string, Record<string, string>>>;
  let after: (result: CallResult<Record<string, Record<string, string>>>) => void = () => {};
  switch (op.op) {
    case "business.create":
      result = await call(op.op, { subject_record_id: u.id("record", op.record) });
      after = (r) => void (r.ok && u.created.business.push(r.data.business?.business_id as string));
      break;
    case "business.delete": {
      const id = u.id("business", op.business);
      result = await call(op.op, { business_id: id });
      after = deleting("business", id);
      break;
    }
    case "business.salesInfo.create":
      result = await call(op.op, { business_id: u.id("business", op.business) });
      after = (r) => void (r.ok && u.salesInfos.push(r.data.sales_info?.sales_info_id as string));
      break;
    case "person.create":
      result = await call(op.op, {
        subject_record_id: u.id("record", op.record),
        person: { first_name: "Ann", date_of_birth: "1980-05-17" },
      });
      after = (r) => void (r.ok && u.created.person.push(r.data.person?.person_id as string));
      break;
    case "person.delete": {
      const id = u.id("person", op.person);
      result = await call(op.op, { person_id: id });
      after = deleting("person", id);
      break;
    }
    case "bankAccount.create":
      result = await call(op.op, {
        subject_record_id: u.id("record", op.record),
        bank_account: { bank_routing_number: "011000015", bank_account_number: "12345678" },
      });
      after = (r) =>
        void (r.ok && u.created.bankAccount.push(r.data.bank_account?.bank_account_id as string));
      break;
    case "bankAccount.delete": {
      const id = u.id("bankAccount", op.bankAccount);
      result = await call(op.op, { bank_account_id: id });
      after = deleting("bankAccount", id);
      break;
    }
    case "business.addOwner":
      result = await call(op.op, {
        business_id: u.id("business", op.business),
        business_owner: {
          person_id: u.id("person", op.person),
          ownership_type: op.control ? "CONTROL_PRONG" : "OWNERSHIP_PRONG",
        },
      });
      after = (r) => void (r.ok && u.created.owner.push(r.data.business_owner?.business_owner_id as string));
      break;
    case "business.removeOwner": {
      const id = u.id("owner", op.owner);
      result = await call(op.op, { business_owner_id: id });
      after = deleting("owner", id);
      break;
    }
    case "business.addBankAccount":
      result = await call(op.op, {
        business_id: u.id("business", op.business),
        business_bank_account: {
          bank_account_id: u.id("bankAccount", op.bankAccount),
          bank_account_purposes: op.purposes,
        },
      });
      after = (r) =>
        void (
          r.ok && u.created.association.push(r.data.business_bank_account?.business_bank_account_id as string)
        );
      break;
    case "business.removeBankAccount": {
      const id = u.id("association", op.association);
      result = await call(op.op, { business_bank_account_id: id });
      after = deleting("association", id);
      break;
    }
    case "subjectRecord.delete": {
      const id = u.id("record", op.record);
      result = await call(op.op, { subject_record_id: id });
      after = deleting("record", id);
      break;
    }
  }
  assertAnswer(op, result);
  const answered = result;
  return () => {
    u.outcomes.push(outcome(op, answered));
    after(answered);
  };
}

/** Rows breaking an invariant: each query returns the offending rows, which must be none. */
const INVARIANTS: [string, string][] = [
  [
    "an owner whose business or person is missing",
    `select o.id from business_owner o
       left join business b on b.id = o.business_id left join person p on p.id = o.person_id
     where b.id is null or p.id is null`,
  ],
  [
    "a bank-account association whose business or bank account is missing",
    `select a.id from business_bank_account a
       left join business b on b.id = a.business_id left join bank_account k on k.id = a.bank_account_id
     where b.id is null or k.id is null`,
  ],
  [
    "a purpose row whose association is missing or names another pair",
    `select p.business_bank_account_id as id from business_bank_account_purpose p
       left join business_bank_account a on a.id = p.business_bank_account_id
     where a.id is null or a.business_id <> p.business_id or a.bank_account_id <> p.bank_account_id`,
  ],
  [
    "an association without a purpose row",
    `select a.id from business_bank_account a
     where not exists (select 1 from business_bank_account_purpose p where p.business_bank_account_id = a.id)`,
  ],
  [
    "a sales info whose business is missing",
    `select s.id from sales_info s left join business b on b.id = s.business_id where b.id is null`,
  ],
  [
    "an entity whose subject record is missing",
    `select e.id from (
       select id, subject_record_id from business
       union all select id, subject_record_id from person
       union all select id, subject_record_id from bank_account) e
       left join subject_records r on r.id = e.subject_record_id
     where r.id is null`,
  ],
  [
    "an owner linking a person and a business of different subject records",
    `select o.id from business_owner o
       join business b on b.id = o.business_id join person p on p.id = o.person_id
     where b.subject_record_id <> p.subject_record_id`,
  ],
  [
    "a bank-account association linking a bank account and a business of different subject records",
    `select a.id from business_bank_account a
       join business b on b.id = a.business_id join bank_account k on k.id = a.bank_account_id
     where b.subject_record_id <> k.subject_record_id`,
  ],
  [
    "a subject record with more than one business",
    `select subject_record_id as id from business group by subject_record_id having count(*) > 1`,
  ],
];

for (const kind of databaseKinds()) {
  describe(`data integrity under random writes [${kind}]`, () => {
    const server = useTestServer(kind);

    it("leaves no dangling reference and no cross-record link, and never answers 5xx", async () => {
      const { client, account, other } = await twoSandboxAccounts(server());
      const database = server().database;
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(sequenceArb, async (steps) => {
          const u = await startRun(client, account.id, other.id);
          for (const step of steps) {
            const answered = await Promise.all(step.map((op) => run(client, u, op)));
            for (const record of answered) record();
          }
          for (const outcome of u.outcomes) seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
          // Only this run's rows: a violation an earlier run left must not fail the runs that
          // shrink it (the database is shared by every run).
          const mine = u.allIds();
          for (const [name, text] of INVARIANTS) {
            const rows = (await queryRows<{ id: string }>(database, text)).filter((row) => mine.has(row.id));
            assert.deepEqual(rows, [], `${name}: ${JSON.stringify(rows)}`);
          }
          for (const { kind: deletedKind, id } of u.deleted) {
            const rows = await queryRows(database, `select id from ${TABLE[deletedKind]} where id = $1`, [
              id,
            ]);
            assert.deepEqual(rows, [], `${deletedKind} ${id} was deleted with 200 but is still stored`);
          }
        }),
        { ...fuzzParameters(20), examples: [[TOUR]], includeErrorInReport: true },
      );
      const missing = REQUIRED_OUTCOMES.filter((outcome) => !seen.has(outcome));
      assert.deepEqual(missing, [], `outcomes never seen; seen: ${[...seen.keys()].sort().join(", ")}`);
      if (process.env.DATA_PROPERTY_STATS) console.log([...seen.entries()].sort());
    });
  });
}
