/**
 * A business application end to end: CREATED → update → start → canComplete → complete → ENDED,
 * with its BUSINESS_UNDERWRITING workflow STARTED on the same subject record; then every change
 * to the ended workflow is refused. An end-to-end scenario over several methods; what each method
 * does on its own is tested in test/methods/<method>.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  createApplication,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  getWorkflow,
  ISO_MS,
  startedRequirement,
  WORKFLOW_ID,
} from "./support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow lifecycle [${kind}]`, () => {
    const server = useTestServer(kind);

    it("runs a business application from CREATED to ENDED and starts its underwriting", async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      const subjectRecordId = await createSubjectRecord(client, account.id);
      const created = await createApplication(client, account.id, { subjectRecordId, state: "CREATED" });
      const id = { workflow_id: created.workflow_id };

      const missing = {
        can_complete: false,
        missing_requirements: [startedRequirement(created.workflow_id)],
      };
      assert.deepEqual(expectOk(await client.call("workflow.canComplete", id)), missing);
      expectErrors(await client.call("workflow.complete", id), 400, [
        {
          code: "MISSING_REQUIREMENTS",
          message: "The workflow cannot be completed yet.",
          missing_requirements: missing.missing_requirements,
        },
      ]);
      assert.deepEqual(await getWorkflow(client, created.workflow_id), created);

      server().clock.offsetMs += 1000;
      const update = {
        ...id,
        workflow: { details: { business_application_details: { applying_user: { first_name: "Ann" } } } },
      };
      assert.deepEqual(expectOk(await client.call("workflow.update", update)), {});
      const updated = await getWorkflow(client, created.workflow_id);
      assert.equal(updated.details?.business_application_details.applying_user.first_name, "Ann");

      server().clock.offsetMs += 1000;
      assert.deepEqual(expectOk(await client.call("workflow.start", id)), {});
      const started = await getWorkflow(client, created.workflow_id);
      assert.match(started.started_at ?? "", ISO_MS);
      assert.ok(started.started_at && started.started_at > updated.updated_at);
      assert.deepEqual(started, {
        ...updated,
        state: "STARTED",
        started_at: started.started_at,
        updated_at: started.started_at,
      });
      assert.deepEqual(expectOk(await client.call("workflow.canComplete", id)), { can_complete: true });

      server().clock.offsetMs += 1000;
      assert.deepEqual(expectOk(await client.call("workflow.complete", id)), {});
      const ended = await getWorkflow(client, created.workflow_id);
      assert.ok(ended.ended_at && ended.ended_at > (started.started_at ?? ""));
      assert.deepEqual(ended, {
        ...started,
        state: "ENDED",
        ended_at: ended.ended_at,
        updated_at: ended.ended_at,
      });

      const list = expectOk(await client.call("workflow.list", { subject_record_id: subjectRecordId }));
      assert.equal(list.workflows.length, 2);
      assert.deepEqual(list.workflows[0], ended);
      const underwriting = list.workflows[1];
      assert.ok(underwriting);
      assert.match(underwriting.workflow_id, WORKFLOW_ID);
      assert.deepEqual(underwriting, {
        workflow_id: underwriting.workflow_id,
        type: "BUSINESS_UNDERWRITING",
        state: "STARTED",
        subject_record_id: subjectRecordId,
        account_id: account.id,
        details: null,
        started_at: ended.ended_at,
        ended_at: null,
        created_at: ended.ended_at,
        updated_at: ended.ended_at,
      });

      // An ENDED workflow is final.
      expectErrors(await client.call("workflow.update", update), 400, [ERRORS.ended]);
      expectErrors(await client.call("workflow.start", id), 400, [ERRORS.ended]);
      expectErrors(await client.call("workflow.complete", id), 400, [ERRORS.ended]);
      expectErrors(await client.call("workflow.canComplete", id), 400, [ERRORS.ended]);
      assert.deepEqual(await getWorkflow(client, created.workflow_id), ended);
    });
  });
}
