/**
 * A business application end to end: CREATED → update → start → canComplete → complete → ENDED,
 * with its BUSINESS_UNDERWRITING workflow STARTED on the same subject record; then every change
 * to the ended workflow is refused. Also workflow.get and subjectRecord.get with verbose.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  createApplication,
  createProvisioning,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  getWorkflow,
  ISO_MS,
  notFound,
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
          message: "The workflow cannot be completed until its requirements are met",
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

    it("completes an application created STARTED straight away", async () => {
      const { client, account } = await server().fixture();
      const workflow = await createApplication(client, account.id);
      assert.deepEqual(
        expectOk(await client.call("workflow.canComplete", { workflow_id: workflow.workflow_id })),
        { can_complete: true },
      );
      // A later clock, so the underwriting workflow cannot tie with the application on created_at.
      server().clock.offsetMs += 10;
      expectOk(await client.call("workflow.complete", { workflow_id: workflow.workflow_id }));
      const types = expectOk(
        await client.call("workflow.list", { subject_record_id: workflow.subject_record_id }),
      ).workflows.map((w) => [w.type, w.state]);
      assert.deepEqual(types, [
        ["BUSINESS_APPLICATION", "ENDED"],
        ["BUSINESS_UNDERWRITING", "STARTED"],
      ]);
    });

    it("starts an ACCOUNT_PROVISIONING workflow created in CREATED", async () => {
      const { client, account } = await server().fixture();
      const workflow = await createProvisioning(client, account.id, { state: "CREATED" });
      server().clock.offsetMs += 1000;
      expectOk(await client.call("workflow.start", { workflow_id: workflow.workflow_id }));
      const started = await getWorkflow(client, workflow.workflow_id);
      assert.ok(started.started_at && started.started_at > workflow.created_at);
      assert.deepEqual(started, {
        ...workflow,
        state: "STARTED",
        started_at: started.started_at,
        updated_at: started.started_at,
      });
    });

    it("workflow.get answers ENTITY_NOT_FOUND for an unknown workflow and BAD_REQUEST for a malformed ID", async () => {
      const { client } = await server().fixture();
      expectErrors(await client.call("workflow.get", { workflow_id: "w_2dJFFW3HY8a3zOjqwUXhQc" }), 400, [
        notFound("Workflow", "workflow_id"),
      ]);
      expectErrors(await client.call("workflow.get", { workflow_id: "wf_2dJFFW3HY8a3zOjqwUXhQc" }), 400, [
        {
          code: "BAD_REQUEST",
          message: 'workflow_id must match pattern "^(w_)[0-9A-Za-z]{1,22}$"',
          field: "workflow_id",
        },
      ]);
    });

    it("subjectRecord.get with verbose includes the record's workflows, oldest first", async () => {
      const { client, account } = await server().fixture();
      const subjectRecordId = await createSubjectRecord(client, account.id);
      const application = await createApplication(client, account.id, { subjectRecordId });
      server().clock.offsetMs += 10;
      const provisioning = await createProvisioning(client, account.id, { subjectRecordId });
      const plain = expectOk(await client.call("subjectRecord.get", { subject_record_id: subjectRecordId }));
      assert.equal("workflows" in plain.subject_record, false);
      const verbose = expectOk(
        await client.call("subjectRecord.get", { subject_record_id: subjectRecordId, verbose: true }),
      );
      assert.deepEqual(verbose.subject_record, {
        ...plain.subject_record,
        workflows: [application, provisioning],
      });
      const quiet = expectOk(
        await client.call("subjectRecord.get", { subject_record_id: subjectRecordId, verbose: false }),
      );
      assert.deepEqual(quiet, plain);
    });
  });
}
