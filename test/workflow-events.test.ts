/**
 * Events: one row per workflow transition, written with the change, holding what a webhook will
 * deliver (wh_ ID, type, account, subject record, workflow, workflow type, actor, time) — and
 * none for a request that failed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventRecord } from "../src/domain/records.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  accountRows,
  applicationBody,
  createApplication,
  createProvisioning,
  expectOk,
  getWorkflow,
  ISO_MS,
  type WorkflowObject,
  workflowsOf,
} from "./support/workflows.js";

const EVENT_ID = /^wh_[0-9A-Za-z]{21,22}$/;

function expectedEvent(
  event: EventRecord | undefined,
  eventType: EventRecord["event_type"],
  workflow: Pick<WorkflowObject, "workflow_id" | "account_id" | "subject_record_id" | "type">,
  actor: { actor_type: "API_KEY" | "SYSTEM"; actor_id: string },
  at: string,
): void {
  assert.ok(event, `expected a ${eventType} event`);
  assert.match(event.id, EVENT_ID);
  assert.match(event.created_at, ISO_MS);
  assert.deepEqual(event, {
    id: event.id,
    event_type: eventType,
    account_id: workflow.account_id,
    subject_record_id: workflow.subject_record_id,
    workflow_id: workflow.workflow_id,
    workflow_type: workflow.type,
    ...actor,
    created_at: at,
  });
}

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

    it("attributes the underwriting workflow's WORKFLOW_STARTED to SYSTEM", async () => {
      const { client, account } = await server().fixture({ credential: { name: "closer" } });
      const application = await createApplication(client, account.id);
      server().clock.offsetMs += 10;
      expectOk(await client.call("workflow.complete", { workflow_id: application.workflow_id }));
      const underwriting = (await workflowsOf(server(), application.subject_record_id)).find(
        (w) => w.type === "BUSINESS_UNDERWRITING",
      );
      assert.ok(underwriting);
      const events = await server().store.listEvents({ workflowId: underwriting.id });
      assert.equal(events.length, 1);
      expectedEvent(
        events[0],
        "WORKFLOW_STARTED",
        { ...application, workflow_id: underwriting.id, type: "BUSINESS_UNDERWRITING" },
        { actor_type: "SYSTEM", actor_id: "SYSTEM" },
        underwriting.created_at,
      );
      // The completion itself is the caller's.
      const completion = (await server().store.listEvents({ workflowId: application.workflow_id })).at(-1);
      assert.equal(completion?.event_type, "WORKFLOW_COMPLETED");
      assert.equal(completion?.actor_id, "closer");
      assert.equal(completion?.created_at, underwriting.created_at);
    });

    it("uses the API key as actor_id for an unnamed credential, and one WORKFLOW_STARTED for a workflow created STARTED", async () => {
      const { client, account, credential } = await server().fixture();
      const workflow = await createProvisioning(client, account.id);
      const events = await server().store.listEvents({ workflowId: workflow.workflow_id });
      assert.equal(events.length, 1);
      expectedEvent(
        events[0],
        "WORKFLOW_STARTED",
        workflow,
        { actor_type: "API_KEY", actor_id: credential.api_key },
        workflow.created_at,
      );
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
