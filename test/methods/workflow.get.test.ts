/** workflow.get: the whole workflow object; unknown and malformed IDs; who may see which workflow. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { assertWorkflowHidden } from "../support/workflow-guards.js";
import {
  createApplication,
  createProvisioning,
  expectErrors,
  expectOk,
  getWorkflow,
  notFound,
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow.get [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("answers each workflow exactly as workflow.create answered it", async () => {
        const { client, account } = await server().fixture();
        const created = [
          await createApplication(client, account.id, { state: "CREATED", referrer_value: "web" }),
          await createProvisioning(client, account.id),
        ];
        for (const workflow of created) {
          const result = await client.call("workflow.get", { workflow_id: workflow.workflow_id });
          assert.deepEqual(expectOk(result), { workflow });
        }
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown workflow and BAD_REQUEST for a malformed ID", async () => {
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
    });

    describe("authorization", () => {
      it("a read-only credential reads", async () => {
        const { client, account, reader } = await withReader(server());
        const created = await createApplication(client, account.id, { state: "CREATED" });
        assert.deepEqual(
          expectOk(await reader.call("workflow.get", { workflow_id: created.workflow_id })).workflow,
          created,
        );
        assert.deepEqual(await getWorkflow(client, created.workflow_id), created);
      });

      it("hides another organization's, an unlisted account's and a live account's workflow", () =>
        assertWorkflowHidden(server(), "workflow.get"));
    });
  });
}
