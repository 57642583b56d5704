/** workflow.start: CREATED → STARTED; its state guards; who may start which workflow. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  assertGuards,
  assertReadOnlyRefused,
  assertUnknownAndMalformedId,
  assertWorkflowHidden,
} from "../support/workflow-guards.js";
import { createProvisioning, expectOk, getWorkflow } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow.start [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
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
    });

    describe("errors", () => {
      it("answers each type and state with its guard", () => assertGuards(server(), "workflow.start"));

      it("answers ENTITY_NOT_FOUND for an unknown workflow and BAD_REQUEST for a malformed ID", () =>
        assertUnknownAndMalformedId(server(), "workflow.start"));
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", () =>
        assertReadOnlyRefused(server(), "workflow.start"));

      it("hides another organization's, an unlisted account's and a live account's workflow", () =>
        assertWorkflowHidden(server(), "workflow.start"));
    });
  });
}
