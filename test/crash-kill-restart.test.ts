/**
 * Crash consistency, on both databases: `vetted serve` (a child process) takes a write load of
 * workflow.create — business applications on new subject records, on given subject records (two
 * requests per record, racing for the one-BA-per-record rule), and pairs sharing an email on an
 * account that forbids that — and is killed with SIGKILL mid-load. A new server on the same
 * database then proves: every create that was answered 200 is there; every subject record a
 * create made has the workflow that made it; every event has its workflow and every workflow its
 * creation event; and both concurrency rules still hold in the stored rows.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newId } from "../src/domain/ids.js";
import type { ChildServer } from "./support/child-server.js";
import { startChildServer, UNLIMITED } from "./support/child-server.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { createRecordingClient } from "./support/error-record.js";
import { createFaultFixture, type FaultFixture } from "./support/fault-fixture.js";
import { type LoadRequest, type Outcome, startLoad, statusCounts } from "./support/load.js";
import { queryRows } from "./support/sql.js";
import { applicationBody, ERRORS, expectErrors, expectOk } from "./support/workflows.js";

const EXPLICIT_RECORDS = 50;
/** Acknowledged creates before the kill: enough that every case has happened several times. */
const ACKNOWLEDGED_BEFORE_KILL = 40;

/**
 * Requests in a fixed rotation shared by all workers: two of four on a new subject record with a
 * fresh email; one on a given subject record, each record asked for twice; one with an email
 * that exactly one other request also uses.
 */
function plan(accountId: string, explicitRecords: string[]) {
  let next = 0;
  let onRecord = 0;
  let duplicate = 0;
  return (): LoadRequest => {
    const i = next++;
    if (i % 4 === 2) {
      const k = onRecord++;
      const record = explicitRecords[Math.floor(k / 2) % explicitRecords.length] as string;
      const body = applicationBody(accountId, {
        email: `on-record-${k}@example.com`,
        subjectRecordId: record,
      });
      return { method: "workflow.create", body, tag: `record:${record}` };
    }
    if (i % 4 === 3) {
      const email = `shared-${Math.floor(duplicate++ / 2)}@example.com`;
      return {
        method: "workflow.create",
        body: applicationBody(accountId, { email }),
        tag: `email:${email}`,
      };
    }
    return {
      method: "workflow.create",
      body: applicationBody(accountId, { email: `new-${i}@example.com` }),
      tag: "new",
    };
  };
}

function createdWorkflow(outcome: Outcome) {
  return outcome.json?.data?.workflow as { workflow_id: string; subject_record_id: string };
}

for (const kind of databaseKinds()) {
  describe(`crash consistency: SIGKILL under write load, then restart [${kind}]`, () => {
    let database: TestDatabase;
    let fixture: FaultFixture;
    const children: ChildServer[] = [];

    before(async () => {
      database = await createTestDatabase(kind);
      fixture = await createFaultFixture(database, { allowMultipleApplicationsPerEmail: false });
    });

    after(async () => {
      for (const child of children) await child.kill();
      await fixture?.store.close();
      await database?.drop();
    });

    it("loses no acknowledged create, leaves no partial one, and keeps both rules", async (t) => {
      const { store, account, credential } = fixture;
      const explicitRecords: string[] = [];
      for (let i = 0; i < EXPLICIT_RECORDS; i++) {
        const now = new Date().toISOString();
        const id = newId("subjectRecord");
        await store.insertSubjectRecord({
          id,
          account_id: account.id,
          type: "BUSINESS",
          created_at: now,
          updated_at: now,
        });
        explicitRecords.push(id);
      }

      // 1. Load, then SIGKILL while requests are in flight.
      const first = await startChildServer({ database: database.url, args: UNLIMITED });
      children.push(first);
      const load = startLoad({
        baseUrl: first.url,
        credential,
        workers: 4,
        pauseMs: 0,
        stopOnNetworkError: true,
        next: plan(account.id, explicitRecords),
      });
      await load.waitFor((o) => o.status === 200, ACKNOWLEDGED_BEFORE_KILL);
      for (let spin = 0; spin < 10_000 && load.inFlight() < 2; spin++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      const killed = await first.kill();
      await load.stop();
      assert.equal(killed.signal, "SIGKILL");

      // What the clients were told: success, the rule's own error, or a cut connection.
      const counts = JSON.stringify(statusCounts(load.outcomes));
      const acknowledged = load.outcomes.filter((o) => o.status === 200);
      for (const outcome of load.outcomes) {
        const tag = outcome.request.tag ?? "";
        if (outcome.status === 200 || outcome.status === "network-error") continue;
        assert.equal(outcome.status, 400, `${tag}: ${JSON.stringify(outcome.json)} (${counts})`);
        const expected = tag.startsWith("record:") ? ERRORS.typeLimit : ERRORS.duplicateEmail;
        assert.ok(!tag.startsWith("new"), `a create on a fresh record and email failed (${counts})`);
        assert.deepEqual(outcome.json?.errors, [expected], tag);
      }
      const refusals = load.outcomes
        .filter((o) => o.status === 400)
        .map((o) => o.json?.errors?.[0]?.sub_code);
      assert.ok(
        refusals.includes("SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT") && refusals.includes("DUPLICATE_EMAIL"),
      );
      const cut = load.outcomes.filter((o) => o.status === "network-error").length;
      t.diagnostic(`before the kill: ${counts}, ${load.outcomes.length - cut} answered, ${cut} cut off`);
      for (const prefix of ["record:", "email:"]) {
        const winners = new Map<string, number>();
        for (const o of acknowledged.filter((o) => o.request.tag?.startsWith(prefix))) {
          winners.set(o.request.tag as string, (winners.get(o.request.tag as string) ?? 0) + 1);
        }
        for (const [tag, wins] of winners) assert.equal(wins, 1, `${tag} was granted ${wins} times`);
      }

      // 2. A new server on the same database: every acknowledged create is there, unchanged.
      const second = await startChildServer({ database: database.url, args: UNLIMITED });
      children.push(second);
      const client = createRecordingClient({
        baseUrl: second.url,
        apiKey: credential.api_key,
        secretKey: credential.secret_key,
        authToken: credential.auth_token,
      });
      for (const outcome of acknowledged) {
        const { workflow_id, subject_record_id } = createdWorkflow(outcome);
        const stored = expectOk(await client.call("workflow.get", { workflow_id })).workflow;
        assert.equal(stored.subject_record_id, subject_record_id);
        assert.equal(stored.state, "STARTED");
        const body = outcome.request.body as ReturnType<typeof applicationBody>;
        const sentEmail = body.workflow.details.business_application_details.applying_user.email;
        assert.equal(stored.details?.business_application_details?.applying_user.email, sentEmail);
      }

      // 3. Nothing half-written: records, workflows and events belong together.
      const records = (await store.listSubjectRecords(account.id, { limit: 100_000 })).items;
      const workflowIds = new Set<string>();
      for (const record of records) {
        const workflows = (await store.listWorkflows(record.id, { limit: 100_000 })).items;
        for (const workflow of workflows) workflowIds.add(workflow.id);
        if (!explicitRecords.includes(record.id)) {
          assert.ok(
            workflows.length > 0,
            `subject record ${record.id} exists without the workflow that created it`,
          );
        }
      }
      for (const outcome of acknowledged) assert.ok(workflowIds.has(createdWorkflow(outcome).workflow_id));
      const events = await store.listEvents({ accountId: account.id });
      for (const event of events) {
        assert.ok(workflowIds.has(event.workflow_id ?? ""), `event ${event.id} without its workflow`);
      }
      const created = new Set(
        events.filter((e) => e.event_type === "WORKFLOW_STARTED").map((e) => e.workflow_id),
      );
      for (const id of workflowIds) assert.ok(created.has(id), `workflow ${id} without its creation event`);

      // 4. The concurrency rules, in the stored rows.
      const twoApplications = await queryRows(
        database,
        `select subject_record_id from workflows where type = 'BUSINESS_APPLICATION'
         group by subject_record_id having count(*) > 1`,
      );
      assert.deepEqual(twoApplications, [], "no subject record with two business applications");
      const sharedEmails = await queryRows(
        database,
        `select lower(applying_user_email) as email from workflows
         where account_id = $1 and type = 'BUSINESS_APPLICATION'
         group by lower(applying_user_email) having count(*) > 1`,
        [account.id],
      );
      assert.deepEqual(sharedEmails, [], "no email used by two business applications of the account");
      const claims = await queryRows<{ n: number | string }>(
        database,
        "select count(*) as n from workflows where account_id = $1 and email_claim is not null",
        [account.id],
      );
      assert.equal(Number(claims[0]?.n), workflowIds.size, "every application holds its email claim");

      // 5. And the restarted server still enforces them.
      const taken = acknowledged.find((o) => o.request.tag === "new") as Outcome;
      const takenBody = taken.request.body as ReturnType<typeof applicationBody>;
      const again = await client.call("workflow.create", takenBody);
      expectErrors(again, 400, [ERRORS.duplicateEmail]);
      expectOk(
        await client.call("workflow.create", applicationBody(account.id, { email: "after@example.com" })),
      );
      assert.equal(await second.stop(), 0);
    });
  });
}
