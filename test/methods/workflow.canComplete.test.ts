/** workflow.canComplete: whether a business application can complete, and what it lacks; guards; access. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  assertGuards,
  assertUnknownAndMalformedId,
  assertWorkflowHidden,
} from "../support/workflow-guards.js";
import { createApplication, expectOk, getWorkflow, startedRequirement } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow.canComplete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("answers true for a STARTED application, and false with the missing requirement for a CREATED one", async () => {
        const { client, account } = await server().fixture();
        const started = await createApplication(client, account.id);
        const created = await createApplication(client, account.id, { state: "CREATED" });
        assert.deepEqual(
          expectOk(await client.call("workflow.canComplete", { workflow_id: started.workflow_id })),
          { can_complete: true },
        );
        assert.deepEqual(
          expectOk(await client.call("workflow.canComplete", { workflow_id: created.workflow_id })),
          { can_complete: false, missing_requirements: [startedRequirement(created.workflow_id)] },
        );
        // Asking changes nothing.
        assert.deepEqual(await getWorkflow(client, created.workflow_id), created);
      });
    });

    describe("errors", () => {
      it("answers each type and state with its guard", () => assertGuards(server(), "workflow.canComplete"));

      it("answers ENTITY_NOT_FOUND for an unknown workflow and BAD_REQUEST for a malformed ID", () =>
        assertUnknownAndMalformedId(server(), "workflow.canComplete"));
    });

    describe("authorization", () => {
      it("a read-only credential may ask: it only reads", async () => {
        const { client, account, reader } = await withReader(server());
        const created = await createApplication(client, account.id, { state: "CREATED" });
        const id = { workflow_id: created.workflow_id };
        assert.deepEqual(expectOk(await reader.call("workflow.canComplete", id)).can_complete, false);
      });

      it("hides another organization's, an unlisted account's and a live account's workflow", () =>
        assertWorkflowHidden(server(), "workflow.canComplete"));
    });
  });
}
