/**
 * The Store contract, part 2, run unchanged on the SQLite and PostgreSQL adapters (no HTTP):
 * workflows, the two rule indexes turned into domain errors (also under concurrency and inside a
 * transaction), compare-and-set transitions, the applicant-email lookup and the event log.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../src/domain/ids.js";
import type { Workflow } from "../src/domain/records.js";
import { ApiError } from "../src/errors.js";
import { databaseKinds } from "./support/databases.js";
import {
  at,
  createAnswer,
  event,
  isRuleError,
  seedAccount,
  subjectRecord,
  uniqueTail,
  useStore,
  verdictCases,
  workflow,
} from "./support/store-fixtures.js";

const ONE_BA = isRuleError("SYSTEM_RULE_VIOLATION", "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT");
const DUPLICATE_EMAIL = isRuleError("ACCOUNT_CONFIGURATION_VIOLATION", "DUPLICATE_EMAIL");

for (const kind of databaseKinds()) {
  describe(`Store contract: workflows [${kind}]`, () => {
    const store = useStore(kind);
    const newRecord = async (accountId: string) => {
      const record = subjectRecord(accountId);
      await store().insertSubjectRecord(record);
      return record;
    };

    it("workflows read back exactly, with and without details, and list in (created_at, id) byte order", async () => {
      const acc = await seedAccount(store());
      const record = await newRecord(acc.id);
      const tail = uniqueTail();
      const ba = workflow(record, "BUSINESS_APPLICATION", {
        id: `w_b${tail}`,
        state: "STARTED",
        started_at: at(3),
        email: "Ann@Example.com",
      });
      const provisioning = ["a", "B", "0"].map((head) =>
        workflow(record, "ACCOUNT_PROVISIONING", { id: `w_${head}${tail}` }),
      );
      const later = workflow(record, "ACCOUNT_PROVISIONING", { created_at: at(9), updated_at: at(9) });
      for (const wf of [later, ...provisioning, ba])
        await store().insertWorkflow({ workflow: wf, emailClaim: null });

      assert.deepEqual(await store().getWorkflow(ba.id), ba);
      assert.deepEqual(await store().getWorkflow(later.id), later);
      assert.equal(await store().getWorkflow(newId("workflow")), undefined);

      const first = await store().listWorkflows(record.id, { limit: 3 });
      assert.deepEqual(
        first.items.map((w) => w.id),
        [`w_0${tail}`, `w_B${tail}`, `w_a${tail}`],
      );
      assert.equal(first.hasMore, true);
      const last = first.items.at(-1) as Workflow;
      const second = await store().listWorkflows(record.id, {
        limit: 3,
        after: { created_at: last.created_at, id: last.id },
      });
      assert.deepEqual(second.items, [ba, later]);
      assert.equal(second.hasMore, false);
      assert.deepEqual((await store().listWorkflows(newId("subjectRecord"), { limit: 10 })).items, []);

      assert.equal(await store().hasWorkflowOfType(record.id, "BUSINESS_APPLICATION"), true);
      assert.equal(await store().hasWorkflowOfType(record.id, "BUSINESS_UNDERWRITING"), false);
    });

    it("a second BUSINESS_APPLICATION on a subject record is the SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT error", async () => {
      const acc = await seedAccount(store());
      const record = await newRecord(acc.id);
      await store().insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null });
      const second = workflow(record, "BUSINESS_APPLICATION", { state: "STARTED", email: "bob@example.com" });
      await assert.rejects(store().insertWorkflow({ workflow: second, emailClaim: null }), ONE_BA);
      assert.equal(await store().getWorkflow(second.id), undefined);
      assert.equal((await store().listWorkflows(record.id, { limit: 10 })).items.length, 1);
    });

    it("ACCOUNT_PROVISIONING workflows have no per-record limit", async () => {
      const acc = await seedAccount(store());
      const record = await newRecord(acc.id);
      await store().insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null });
      for (let i = 0; i < 2; i++) {
        await store().insertWorkflow({
          workflow: workflow(record, "ACCOUNT_PROVISIONING"),
          emailClaim: null,
        });
      }
      assert.equal((await store().listWorkflows(record.id, { limit: 10 })).items.length, 3);
    });

    it("an email claim is unique per account; another account or a null claim never conflicts", async () => {
      const acc = await seedAccount(store(), { allow_multiple_applications_per_email: false });
      const other = await seedAccount(store(), { allow_multiple_applications_per_email: false });
      const claim = `ann-${uniqueTail()}@example.com`;
      const insertBa = async (accountId: string, emailClaim: string | null) => {
        const wf = workflow(await newRecord(accountId), "BUSINESS_APPLICATION", { email: claim });
        await store().insertWorkflow({ workflow: wf, emailClaim });
        return wf;
      };
      await insertBa(acc.id, claim);
      await assert.rejects(insertBa(acc.id, claim), DUPLICATE_EMAIL);
      await insertBa(other.id, claim);
      await insertBa(acc.id, null);
      await insertBa(acc.id, null);
      assert.equal(await store().applicantEmailInUse(acc.id, claim), true);
    });

    it("under concurrency each rule index lets exactly one insert through", async () => {
      const acc = await seedAccount(store());
      const record = await newRecord(acc.id);
      const claim = `race-${uniqueTail()}@example.com`;
      const attempts = (count: number, make: () => Promise<void>) =>
        Promise.allSettled(Array.from({ length: count }, make));

      const sameRecord = await attempts(6, () =>
        store().insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null }),
      );
      const sameEmail = await attempts(6, async () => {
        const wf = workflow(await newRecord(acc.id), "BUSINESS_APPLICATION", { email: claim });
        await store().insertWorkflow({ workflow: wf, emailClaim: claim });
      });
      for (const [results, check] of [
        [sameRecord, ONE_BA],
        [sameEmail, DUPLICATE_EMAIL],
      ] as const) {
        assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
        for (const result of results) if (result.status === "rejected") check(result.reason);
      }
    });

    it("a rule-index error inside a transaction rolls back the transaction's earlier writes", async () => {
      const acc = await seedAccount(store());
      const record = await newRecord(acc.id);
      await store().insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null });
      const orphan = subjectRecord(acc.id);
      await assert.rejects(
        store().transaction(async (tx) => {
          await tx.insertSubjectRecord(orphan);
          await tx.insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null });
        }),
        ONE_BA,
      );
      assert.equal(await store().getSubjectRecord(orphan.id), undefined, "no orphan subject record");
    });

    it("transitionWorkflow is compare-and-set: of simultaneous transitions exactly one wins", async () => {
      const acc = await seedAccount(store());
      const wf = workflow(await newRecord(acc.id), "BUSINESS_APPLICATION");
      await store().insertWorkflow({ workflow: wf, emailClaim: null });
      const wins = await Promise.all(
        [10, 11, 12].map((s) =>
          store().transitionWorkflow(wf.id, "CREATED", "STARTED", { started_at: at(s), updated_at: at(s) }),
        ),
      );
      assert.equal(wins.filter(Boolean).length, 1);
      const winner = 10 + wins.indexOf(true);
      assert.deepEqual(await store().getWorkflow(wf.id), {
        ...wf,
        state: "STARTED",
        started_at: at(winner),
        updated_at: at(winner),
      });

      assert.equal(
        await store().transitionWorkflow(wf.id, "CREATED", "ENDED", { ended_at: at(20), updated_at: at(20) }),
        false,
        "no longer CREATED",
      );
      assert.equal(
        await store().transitionWorkflow(wf.id, "STARTED", "ENDED", { ended_at: at(21), updated_at: at(21) }),
        true,
      );
      const ended = await store().getWorkflow(wf.id);
      assert.equal(ended?.state, "ENDED");
      assert.equal(ended?.started_at, at(winner), "times not named are kept");
      assert.equal(ended?.ended_at, at(21));
      assert.equal(
        await store().transitionWorkflow(newId("workflow"), "CREATED", "STARTED", { updated_at: at(22) }),
        false,
      );
    });

    it("applicantEmailInUse compares case-insensitively, per account, BUSINESS_APPLICATION only", async () => {
      const acc = await seedAccount(store());
      const other = await seedAccount(store());
      const local = `Ann.Smith.${uniqueTail()}`;
      const ba = workflow(await newRecord(acc.id), "BUSINESS_APPLICATION", { email: `${local}@Example.COM` });
      await store().insertWorkflow({ workflow: ba, emailClaim: null });
      const lower = `${local}@example.com`.toLowerCase();
      assert.equal(await store().applicantEmailInUse(acc.id, lower), true);
      assert.equal(await store().applicantEmailInUse(acc.id, lower, ba.id), false, "except itself");
      assert.equal(await store().applicantEmailInUse(other.id, lower), false);
      assert.equal(await store().applicantEmailInUse(acc.id, `x${lower}`), false);
    });

    it("listEvents filters by workflow or account and orders by (created_at, id)", async () => {
      const acc = await seedAccount(store());
      const other = await seedAccount(store());
      const wf = workflow(await newRecord(acc.id), "BUSINESS_APPLICATION");
      const sibling = workflow(await newRecord(acc.id), "ACCOUNT_PROVISIONING");
      const elsewhere = workflow(await newRecord(other.id), "ACCOUNT_PROVISIONING");
      for (const w of [wf, sibling, elsewhere])
        await store().insertWorkflow({ workflow: w, emailClaim: null });
      const tail = uniqueTail();
      const started = event(wf, { id: `wh_b${tail}`, event_type: "WORKFLOW_STARTED", created_at: at(5) });
      const created = event(wf, { id: `wh_Z${tail}`, created_at: at(5) });
      const completed = event(wf, {
        event_type: "WORKFLOW_COMPLETED",
        actor_type: "SYSTEM",
        actor_id: "system",
        created_at: at(6),
      });
      const siblingEvent = event(sibling, { created_at: at(4) });
      for (const e of [completed, started, siblingEvent, created, event(elsewhere)])
        await store().insertEvent(e);

      assert.deepEqual(await store().listEvents({ workflowId: wf.id }), [created, started, completed]);
      assert.deepEqual(await store().listEvents({ accountId: acc.id }), [
        siblingEvent,
        created,
        started,
        completed,
      ]);
      assert.deepEqual(await store().listEvents({ accountId: acc.id, workflowId: sibling.id }), [
        siblingEvent,
      ]);
      assert.deepEqual(await store().listEvents({ accountId: other.id, workflowId: wf.id }), []);
    });

    it("domain errors carry no driver detail", async () => {
      const acc = await seedAccount(store());
      const record = await newRecord(acc.id);
      await store().insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null });
      const error = await store()
        .insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(error instanceof ApiError);
      assert.doesNotMatch(JSON.stringify(error.toWire()), /UNIQUE|constraint|23505|workflows_/i);
    });

    it("creates submitted together each get their own verdict, and only the accepted ones are written", async () => {
      const cases = await verdictCases(store());
      const verdicts = await Promise.all(cases.map(({ plan }) => createAnswer(store(), plan)));
      assert.deepEqual(
        cases.map(({ name }, i) => `${name}: ${verdicts[i]}`),
        cases.map(({ name, expected }) => `${name}: ${expected}`),
      );
      for (const { name, plan, expected } of cases) {
        const written = expected === "ok";
        assert.equal((await store().getWorkflow(plan.workflow.id)) !== undefined, written, name);
        const events = await store().listEvents({ workflowId: plan.workflow.id });
        assert.deepEqual(events, written ? [plan.event] : [], name);
        if (plan.newSubjectRecord) {
          const record = await store().getSubjectRecord(plan.newSubjectRecord.id);
          assert.equal(record !== undefined, written, name);
        }
        // A refused create's nonce stays recorded (replay protection comes first), except behind
        // a revoked credential, which is refused before its nonce is looked at.
        if (plan.nonce && expected !== "nonce_reused") {
          const { apiKey, nonce, now } = plan.nonce;
          const unused = await store().claimNonce(apiKey, nonce, now, plan.nonce.seenSince);
          assert.equal(unused, expected === "credential_revoked", `${name}: nonce recorded`);
        }
      }
    });
  });
}
