/**
 * Every state and type guard of workflow.update/start/canComplete/complete with its sub_code,
 * visibility (another organization's workflow is ENTITY_NOT_FOUND), and read-only credentials
 * (403 on the writes, 200 on the reads). A refused change changes nothing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WireError } from "../src/errors.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  createApplication,
  createEndedApplication,
  createProvisioning,
  ERRORS,
  expectErrors,
  expectOk,
  getWorkflow,
  notFound,
  startedRequirement,
  type WorkflowObject,
  workflowsOf,
} from "./support/workflows.js";

type Guarded = "workflow.update" | "workflow.start" | "workflow.canComplete" | "workflow.complete";
const GUARDED: Guarded[] = ["workflow.update", "workflow.start", "workflow.canComplete", "workflow.complete"];

function bodyFor(method: Guarded, workflowId: string) {
  if (method !== "workflow.update") return { workflow_id: workflowId };
  return {
    workflow_id: workflowId,
    workflow: { details: { business_application_details: { referrer_value: "changed" } } },
  };
}

/** What each method answers for a workflow of this type and state; undefined means success. */
function expected(method: Guarded, workflow: WorkflowObject): WireError | undefined {
  const isApplication = workflow.type === "BUSINESS_APPLICATION";
  switch (method) {
    case "workflow.update":
      if (!isApplication) return ERRORS.invalidType(method, workflow.type);
      if (workflow.state === "ENDED") return ERRORS.ended;
      return workflow.state === "STARTED" ? ERRORS.alreadyStarted : undefined;
    case "workflow.start":
      if (workflow.state === "ENDED") return ERRORS.ended;
      return workflow.state === "STARTED" ? ERRORS.started : undefined;
    case "workflow.canComplete":
      if (!isApplication) return ERRORS.invalidType(method, workflow.type);
      return workflow.state === "ENDED" ? ERRORS.ended : undefined;
    case "workflow.complete":
      if (!isApplication) return ERRORS.invalidType(method, workflow.type);
      if (workflow.state === "ENDED") return ERRORS.ended;
      return workflow.state === "CREATED"
        ? {
            code: "MISSING_REQUIREMENTS",
            message: "The workflow cannot be completed until its requirements are met",
            missing_requirements: [startedRequirement(workflow.workflow_id)],
          }
        : undefined;
  }
}

for (const kind of databaseKinds()) {
  describe(`workflow guards [${kind}]`, () => {
    const server = useTestServer(kind);

    /** One workflow of every type and state the API can produce, in one account. */
    async function everyKindOfWorkflow() {
      const fixture = await server().fixture();
      const { client, account } = fixture;
      const ended = await createEndedApplication(client, account.id);
      const underwriting = (await workflowsOf(server(), ended.subject_record_id)).find(
        (w) => w.type === "BUSINESS_UNDERWRITING",
      );
      assert.ok(underwriting);
      const workflows: Record<string, WorkflowObject> = {
        "BUSINESS_APPLICATION CREATED": await createApplication(client, account.id, { state: "CREATED" }),
        "BUSINESS_APPLICATION STARTED": await createApplication(client, account.id),
        "BUSINESS_APPLICATION ENDED": ended,
        "ACCOUNT_PROVISIONING CREATED": await createProvisioning(client, account.id, { state: "CREATED" }),
        "ACCOUNT_PROVISIONING STARTED": await createProvisioning(client, account.id),
        "BUSINESS_UNDERWRITING STARTED": await getWorkflow(client, underwriting.id),
      };
      return { ...fixture, workflows };
    }

    for (const method of GUARDED) {
      it(`${method} answers each type and state with its guard`, async () => {
        const { client, workflows } = await everyKindOfWorkflow();
        for (const [label, workflow] of Object.entries(workflows)) {
          const eventsBefore = (await server().store.listEvents({ workflowId: workflow.workflow_id })).length;
          const result = await client.call(method, bodyFor(method, workflow.workflow_id));
          const error = expected(method, workflow);
          if (error) {
            expectErrors(result, 400, [error]);
            assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow, label);
            const events = await server().store.listEvents({ workflowId: workflow.workflow_id });
            assert.equal(events.length, eventsBefore, label);
          } else {
            assert.ok(result.ok, `${method} on ${label}: ${JSON.stringify(result)}`);
          }
        }
      });
    }

    it("workflow.complete on an ACCOUNT_PROVISIONING workflow never ends it", async () => {
      const { client, account } = await server().fixture();
      const workflow = await createProvisioning(client, account.id);
      expectErrors(await client.call("workflow.complete", { workflow_id: workflow.workflow_id }), 400, [
        ERRORS.invalidType("workflow.complete", "ACCOUNT_PROVISIONING"),
      ]);
      assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow);
      assert.equal((await workflowsOf(server(), workflow.subject_record_id)).length, 1);
    });

    it("hides another organization's workflows and subject records: ENTITY_NOT_FOUND everywhere", async () => {
      const owner = await server().fixture();
      const stranger = await server().fixture();
      const workflow = await createApplication(owner.client, owner.account.id, { state: "CREATED" });
      for (const method of ["workflow.get", ...GUARDED] as const) {
        const body =
          method === "workflow.get"
            ? { workflow_id: workflow.workflow_id }
            : bodyFor(method, workflow.workflow_id);
        expectErrors(await stranger.client.call(method, body), 400, [notFound("Workflow", "workflow_id")]);
      }
      expectErrors(
        await stranger.client.call("workflow.list", { subject_record_id: workflow.subject_record_id }),
        400,
        [notFound("Subject Record", "subject_record_id")],
      );
      expectErrors(
        await stranger.client.call("subjectRecord.get", {
          subject_record_id: workflow.subject_record_id,
          verbose: true,
        }),
        400,
        [notFound("Subject Record", "subject_record_id")],
      );
      assert.deepEqual(await getWorkflow(owner.client, workflow.workflow_id), workflow);
    });

    it("hides a workflow of an account outside the credential's account list", async () => {
      const { client, organization, account } = await server().fixture();
      const other = await server().operator.createAccount({
        organizationId: organization.id,
        environment: "sandbox",
      });
      const workflow = await createApplication(client, other.id, { state: "CREATED" });
      const limited = server().clientFor(
        await server().operator.createCredential({
          organizationId: organization.id,
          environment: "sandbox",
          accountIds: [account.id],
        }),
      );
      for (const method of ["workflow.get", ...GUARDED] as const) {
        const body =
          method === "workflow.get"
            ? { workflow_id: workflow.workflow_id }
            : bodyFor(method, workflow.workflow_id);
        expectErrors(await limited.call(method, body), 400, [notFound("Workflow", "workflow_id")]);
      }
    });

    it("a read-only credential reads (get, list, canComplete) but may not write (create, update, start, complete)", async () => {
      const { client, organization, account } = await server().fixture();
      const reader = server().clientFor(
        await server().operator.createCredential({
          organizationId: organization.id,
          environment: "sandbox",
          readOnly: true,
        }),
      );
      const created = await createApplication(client, account.id, { state: "CREATED" });
      const id = { workflow_id: created.workflow_id };
      const eventsBefore = await server().store.listEvents({ accountId: account.id });

      assert.deepEqual(expectOk(await reader.call("workflow.get", id)).workflow, created);
      const list = expectOk(
        await reader.call("workflow.list", { subject_record_id: created.subject_record_id }),
      );
      assert.deepEqual(list, { workflows: [created], has_more: false, next_cursor: null });
      assert.deepEqual(expectOk(await reader.call("workflow.canComplete", id)).can_complete, false);

      for (const method of ["workflow.update", "workflow.start", "workflow.complete"] as const) {
        expectErrors(await reader.call(method, bodyFor(method, created.workflow_id)), 403, [
          ERRORS.readOnly(method),
        ]);
      }
      expectErrors(
        await reader.call("workflow.create", {
          account_id: account.id,
          workflow: { type: "ACCOUNT_PROVISIONING" },
        }),
        403,
        [ERRORS.readOnly("workflow.create")],
      );
      assert.deepEqual(await getWorkflow(client, created.workflow_id), created);
      assert.deepEqual(await server().store.listEvents({ accountId: account.id }), eventsBefore);
    });
  });
}
