/**
 * Events: one row per workflow transition, written with the change, holding what a webhook will
 * deliver (wh_ ID, type, account, subject record, workflow, workflow type, actor, time) — and
 * none for a request that failed. The events one method writes on its own are tested with it, in
 * test/methods/ (workflow.create's actor, workflow.complete's SYSTEM-started underwriting).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { expectedEvent } from "./support/events.js";
import { useTestServer } from "./support/server.js";
import {
  accountRows,
  applicationBody,
  createApplication,
  expectOk,
  getWorkflow,
  type WorkflowObject,
} from "./support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow events [${kind}]`, () => {
    const server = useTestServer(kind);

    it("writes WORKFLOW_CREATED, WORKFLOW_STARTED and WORKFLOW_COMPLETED, attributed to the named credential", async () => {
      const { client, account } = await server().fixture({ credential: { name: "onboarding-bot" } });
      const actor = { actor_type: "API_KEY" as const, actor_id: "onboarding-bot" };
      const workflow = await createApplication(client, account.id, { state: "CREATED" });
      const events = () => server().store.listEvents({ workflowId: workflow.workflow_id });
      const [created, ...none] = await events();
      assert.deepEqual(none, []);
      expectedEvent(created, "WORKFLOW_CREATED", workflow, actor, workflow.created_at);

      server().clock.offsetMs += 10;
      expectOk(await client.call("workflow.start", { workflow_id: workflow.workflow_id }));
      const started = await getWorkflow(client, workflow.workflow_id);
      const afterStart = await events();
      assert.equal(afterStart.length, 2);
      expectedEvent(afterStart[1], "WORKFLOW_STARTED", workflow, actor, started.started_at ?? "");

      server().clock.offsetMs += 10;
      expectOk(await client.call("workflow.complete", { workflow_id: workflow.workflow_id }));
      const ended = await getWorkflow(client, workflow.workflow_id);
      const afterComplete = await events();
      assert.equal(afterComplete.length, 3);
      expectedEvent(afterComplete[2], "WORKFLOW_COMPLETED", workflow, actor, ended.ended_at ?? "");
      assert.equal(new Set(afterComplete.map((e) => e.id)).size, 3);
    });

    it("writes nothing for failed requests, and nothing for reads or updates", async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      const created = await createApplication(client, account.id, {
        state: "CREATED",
        email: "ivy@example.com",
      });
      const started = await createApplication(client, account.id, { email: "jon@example.com" });
      const before = await accountRows(server(), account.id);
      const id = (workflow: WorkflowObject) => ({ workflow_id: workflow.workflow_id });
      const failures = [
        await client.call("workflow.create", applicationBody(account.id, { email: "IVY@example.com" })),
        await client.call(
          "workflow.create",
          applicationBody(account.id, { subjectRecordId: created.subject_record_id }),
        ),
        await client.call("workflow.create", {
          account_id: account.id,
          workflow: { type: "BUSINESS_UNDERWRITING" },
        }),
        await client.call("workflow.complete", id(created)),
        await client.call("workflow.start", id(started)),
      ];
      for (const failure of failures) assert.equal(failure.ok, false, JSON.stringify(failure));
      expectOk(await client.call("workflow.get", id(created)));
      expectOk(await client.call("workflow.canComplete", id(created)));
      expectOk(await client.call("workflow.list", { subject_record_id: created.subject_record_id }));
      expectOk(
        await client.call("workflow.update", {
          ...id(created),
          workflow: { details: { business_application_details: { referrer_value: "web" } } },
        }),
      );
      assert.deepEqual(await accountRows(server(), account.id), before);
    });
  });
}
