/** workflow.delete (data.md §12.3): only CREATED workflows go; what it frees; its race with start. */
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
  notFound,
  workflowsOf,
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`workflow.delete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("deletes a CREATED business application for good and writes WORKFLOW_DELETED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "cleaner" } });
        const workflow = await createApplication(client, account.id, { state: "CREATED" });
        server().clock.offsetMs += 1000;
        const before = server().clock.now().toISOString();
        assert.deepEqual(
          expectOk(await client.call("workflow.delete", { workflow_id: workflow.workflow_id })),
          {},
        );
        expectErrors(await client.call("workflow.get", { workflow_id: workflow.workflow_id }), 400, [
          notFound("Workflow", "workflow_id"),
        ]);
        assert.deepEqual(await workflowsOf(server(), workflow.subject_record_id), []);
        const events = await server().store.listEvents({ workflowId: workflow.workflow_id });
        assert.deepEqual(
          events.map((event) => event.event_type),
          ["WORKFLOW_CREATED", "WORKFLOW_DELETED"],
        );
        const at = events[1]?.created_at ?? "";
        assert.ok(at >= before && at <= server().clock.now().toISOString(), at);
        expectedEvent(
          events[1],
          "WORKFLOW_DELETED",
          workflow,
          { actor_type: "API_KEY", actor_id: "cleaner" },
          at,
        );
        // Deletes are not idempotent: the second is ENTITY_NOT_FOUND.
        expectErrors(await client.call("workflow.delete", { workflow_id: workflow.workflow_id }), 400, [
          notFound("Workflow", "workflow_id"),
        ]);
      });

      it("deletes a CREATED account-provisioning workflow", async () => {
        const { client, account } = await server().fixture();
        const workflow = await createProvisioning(client, account.id, { state: "CREATED" });
        expectOk(await client.call("workflow.delete", { workflow_id: workflow.workflow_id }));
        assert.deepEqual(await workflowsOf(server(), workflow.subject_record_id), []);
      });

      it("frees the subject record's business-application slot and the applying user's email", async () => {
        const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
        const first = await createApplication(client, account.id, {
          state: "CREATED",
          email: "ann@example.com",
        });
        const again = { subjectRecordId: first.subject_record_id, email: "ann@example.com" };
        // While it exists, both rules refuse a second application.
        const refused = await client.call("workflow.create", {
          account_id: account.id,
          workflow: {
            type: "BUSINESS_APPLICATION",
            subject_record_id: first.subject_record_id,
            details: { business_application_details: { applying_user: { email: "bob@example.com" } } },
          },
        });
        expectErrors(refused, 400, [ERRORS.typeLimit]);
        expectOk(await client.call("workflow.delete", { workflow_id: first.workflow_id }));
        const second = await createApplication(client, account.id, again);
        assert.equal(second.subject_record_id, first.subject_record_id);
      });
    });

    describe("errors", () => {
      it("answers each type and state with its guard, changing nothing when refused", () =>
        assertGuards(server(), "workflow.delete"));

      it("answers ENTITY_NOT_FOUND for an unknown workflow and BAD_REQUEST for a malformed ID", () =>
        assertUnknownAndMalformedId(server(), "workflow.delete"));

      it("of a simultaneous start and delete exactly one succeeds", async () => {
        const { client, account } = await server().fixture();
        for (let round = 0; round < 5; round++) {
          const workflow = await createApplication(client, account.id, { state: "CREATED" });
          const body = { workflow_id: workflow.workflow_id };
          const [started, deleted] = await Promise.all([
            client.call("workflow.start", body),
            client.call("workflow.delete", body),
          ]);
          assert.equal(Number(started.ok) + Number(deleted.ok), 1, JSON.stringify({ started, deleted }));
          const remaining = await workflowsOf(server(), workflow.subject_record_id);
          if (started.ok) {
            expectErrors(deleted, 400, [ERRORS.deleteStarted]);
            assert.equal(remaining[0]?.state, "STARTED");
          } else {
            expectErrors(started, 400, [notFound("Workflow", "workflow_id")]);
            assert.deepEqual(remaining, []);
          }
        }
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", () =>
        assertReadOnlyRefused(server(), "workflow.delete"));

      it("hides another organization's, an unlisted account's and a live account's workflow", () =>
        assertWorkflowHidden(server(), "workflow.delete"));
    });
  });
}
