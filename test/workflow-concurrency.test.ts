/**
 * The rules that must hold under concurrency, raced through real HTTP against the real server.
 * On PostgreSQL the store has a pool of 10 connections, so the requests really overlap in the
 * database; exactly one of each race wins, the others get the rule's error, and there is exactly
 * one event per successful transition and no orphan subject record.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CallResult } from "@vetted/client";
import type { WireError } from "../src/errors.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  accountRows,
  applicationBody,
  createApplication,
  createSubjectRecord,
  ERRORS,
  expectOk,
  getWorkflow,
  workflowsOf,
} from "./support/workflows.js";

/** Splits racing results into the winners and the errors of the losers. */
function outcome<T>(results: CallResult<T>[]) {
  const winners = results.filter((r) => r.ok);
  const losers = results.filter((r): r is Extract<CallResult<T>, { ok: false }> => !r.ok);
  return { winners, losers };
}

function assertLosers(losers: { status: number; errors: WireError[] }[], count: number, error: WireError) {
  assert.equal(losers.length, count);
  for (const loser of losers) {
    assert.equal(loser.status, 400);
    assert.deepEqual(loser.errors, [error]);
  }
}

function race<T>(count: number, request: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => request(i)));
}

for (const kind of databaseKinds()) {
  describe(`workflow concurrency [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    it("25 simultaneous business applications on one subject record: one wins, 24 SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT", async () => {
      const { client, account } = await server().fixture();
      const subjectRecordId = await createSubjectRecord(client, account.id);
      const results = await race(25, (i) =>
        client.call(
          "workflow.create",
          applicationBody(account.id, { subjectRecordId, email: `u${i}@example.com` }),
        ),
      );
      const { winners, losers } = outcome(results);
      assert.equal(winners.length, 1);
      assertLosers(losers, 24, ERRORS.typeLimit);
      const stored = await workflowsOf(server(), subjectRecordId);
      assert.equal(stored.length, 1);
      assert.equal(stored[0]?.id, winners[0]?.ok ? winners[0].data.workflow.workflow_id : undefined);
      assert.equal((await server().store.listEvents({ accountId: account.id })).length, 1);
    });

    it("25 simultaneous applications with one email on a unique-email account: one wins, 24 DUPLICATE_EMAIL, one subject record", async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      const results = await race(25, (i) =>
        client.call(
          "workflow.create",
          applicationBody(account.id, {
            email: i % 2 ? "Race.Winner@Example.com" : "race.winner@example.COM",
          }),
        ),
      );
      const { winners, losers } = outcome(results);
      assert.equal(winners.length, 1);
      assertLosers(losers, 24, ERRORS.duplicateEmail);
      assert.deepEqual(await accountRows(server(), account.id), { subjectRecords: 1, events: 1 });
      const [record] = (await server().store.listSubjectRecords(account.id, { limit: 10 })).items;
      assert.equal(record?.id, winners[0]?.ok ? winners[0].data.workflow.subject_record_id : undefined);
    });

    it("5 simultaneous workflow.start: one wins, the others WORKFLOW_STARTED, one WORKFLOW_STARTED event", async () => {
      const { client, account } = await server().fixture();
      const workflow = await createApplication(client, account.id, { state: "CREATED" });
      const results = await race(5, () =>
        client.call("workflow.start", { workflow_id: workflow.workflow_id }),
      );
      const { winners, losers } = outcome(results);
      assert.equal(winners.length, 1);
      assertLosers(losers, 4, ERRORS.started);
      assert.equal((await getWorkflow(client, workflow.workflow_id)).state, "STARTED");
      const events = await server().store.listEvents({ workflowId: workflow.workflow_id });
      assert.deepEqual(
        events.map((e) => e.event_type),
        ["WORKFLOW_CREATED", "WORKFLOW_STARTED"],
      );
    });

    it("5 simultaneous workflow.complete: one wins, the others WORKFLOW_ENDED, exactly one underwriting workflow", async () => {
      const { client, account } = await server().fixture();
      const workflow = await createApplication(client, account.id);
      const results = await race(5, () =>
        client.call("workflow.complete", { workflow_id: workflow.workflow_id }),
      );
      const { winners, losers } = outcome(results);
      assert.equal(winners.length, 1);
      assertLosers(losers, 4, ERRORS.ended);
      const stored = await workflowsOf(server(), workflow.subject_record_id);
      assert.deepEqual(stored.map((w) => [w.type, w.state]).sort(), [
        ["BUSINESS_APPLICATION", "ENDED"],
        ["BUSINESS_UNDERWRITING", "STARTED"],
      ]);
      const events = await server().store.listEvents({ accountId: account.id });
      assert.deepEqual(events.map((e) => `${e.workflow_type} ${e.event_type}`).sort(), [
        "BUSINESS_APPLICATION WORKFLOW_COMPLETED",
        "BUSINESS_APPLICATION WORKFLOW_STARTED",
        "BUSINESS_UNDERWRITING WORKFLOW_STARTED",
      ]);
    });

    it("simultaneous updates of five applications to one email on a unique-email account: exactly one succeeds", async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      const workflows = await race(5, (i) =>
        createApplication(client, account.id, { state: "CREATED", email: `before${i}@example.com` }),
      );
      const results = await race(5, (i) =>
        client.call("workflow.update", {
          workflow_id: workflows[i]?.workflow_id ?? "",
          workflow: {
            details: {
              business_application_details: {
                applying_user: { email: i % 2 ? "SAME@example.com" : "same@example.com" },
              },
            },
          },
        }),
      );
      const { winners, losers } = outcome(results);
      assert.equal(winners.length, 1);
      assertLosers(losers, 4, ERRORS.duplicateEmail);
      const emails = await Promise.all(
        workflows.map(async (w) =>
          (
            await getWorkflow(client, w.workflow_id)
          ).details?.business_application_details.applying_user.email.toLowerCase(),
        ),
      );
      assert.equal(emails.filter((email) => email === "same@example.com").length, 1);
      // The winner holds the email: a new application with it is refused too.
      const again = await client.call(
        "workflow.create",
        applicationBody(account.id, { email: "same@example.com" }),
      );
      assert.equal(again.ok, false);
      // Updates write no events: only the five creations are there.
      assert.equal((await server().store.listEvents({ accountId: account.id })).length, 5);
    });

    it("keeps the account consistent when start and complete race on one workflow", async () => {
      const { client, account } = await server().fixture();
      const workflow = await createApplication(client, account.id, { state: "CREATED" });
      expectOk(await client.call("workflow.start", { workflow_id: workflow.workflow_id }));
      const results = await race(6, (i) =>
        client.call(i % 2 ? "workflow.complete" : "workflow.start", { workflow_id: workflow.workflow_id }),
      );
      const completions = results.filter((r, i) => i % 2 === 1 && r.ok);
      assert.equal(completions.length, 1);
      assert.equal(results.filter((r, i) => i % 2 === 0 && r.ok).length, 0);
      const underwriting = (await workflowsOf(server(), workflow.subject_record_id)).filter(
        (w) => w.type === "BUSINESS_UNDERWRITING",
      );
      assert.equal(underwriting.length, 1);
    });
  });
}
