/**
 * workflow.complete: a STARTED business application ENDs and its BUSINESS_UNDERWRITING workflow
 * starts; its guards (MISSING_REQUIREMENTS, type, ENDED); who may complete which workflow.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "../support/databases.js";
import { expectedEvent } from "../support/events.js";
import { useTestServer } from "../support/server.js";
import {
  assertGuards,
  assertReadOnlyRefused,
  assertUnknownAndMalformedId,
  assertWorkflowHidden,
} from "../support/workflow-guards.js";
import {
  createApplication,
  createProvisioning,
  ERRORS,
  expectErrors,
  expectOk,
  getWorkflow,
  workflowsOf,
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow.complete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
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
    });

    describe("errors", () => {
      it("answers each type and state with its guard", () => assertGuards(server(), "workflow.complete"));

      it("never ends an ACCOUNT_PROVISIONING workflow", async () => {
        const { client, account } = await server().fixture();
        const workflow = await createProvisioning(client, account.id);
        expectErrors(await client.call("workflow.complete", { workflow_id: workflow.workflow_id }), 400, [
          ERRORS.invalidType("workflow.complete", "ACCOUNT_PROVISIONING"),
        ]);
        assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow);
        assert.equal((await workflowsOf(server(), workflow.subject_record_id)).length, 1);
      });

      it("answers ENTITY_NOT_FOUND for an unknown workflow and BAD_REQUEST for a malformed ID", () =>
        assertUnknownAndMalformedId(server(), "workflow.complete"));
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", () =>
        assertReadOnlyRefused(server(), "workflow.complete"));

      it("hides another organization's, an unlisted account's and a live account's workflow", () =>
        assertWorkflowHidden(server(), "workflow.complete"));
    });
  });
}
