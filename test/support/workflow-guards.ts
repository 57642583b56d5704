/**
 * The state and type guards of the methods that act on one existing workflow
 * (workflow.update/start/canComplete/complete): a request body for each, what each answers for a
 * workflow of each type and state, and one workflow of every type and state to try them on.
 */
import assert from "node:assert/strict";
import type { WireError } from "../../src/errors.js";
import { outOfSight, withReader } from "./authorization.js";
import type { TestServer } from "./server.js";
import {
  badRequest,
  createApplication,
  createEndedApplication,
  createProvisioning,
  ERRORS,
  expectErrors,
  getWorkflow,
  notFound,
  startedRequirement,
  type WorkflowObject,
  workflowsOf,
} from "./workflows.js";

export type Guarded =
  | "workflow.update"
  | "workflow.start"
  | "workflow.canComplete"
  | "workflow.complete"
  | "workflow.delete";

export function bodyFor(method: Guarded | "workflow.get", workflowId: string) {
  if (method !== "workflow.update") return { workflow_id: workflowId };
  return {
    workflow_id: workflowId,
    workflow: { details: { business_application_details: { referrer_value: "changed" } } },
  };
}

/** What each method answers for a workflow of this type and state; undefined means success. */
export function expected(method: Guarded, workflow: WorkflowObject): WireError | undefined {
  const isApplication = workflow.type === "BUSINESS_APPLICATION";
  switch (method) {
    case "workflow.update":
      if (!isApplication) return ERRORS.invalidType(method, workflow.type);
      if (workflow.state === "ENDED") return ERRORS.ended;
      return workflow.state === "STARTED" ? ERRORS.alreadyStarted : undefined;
    case "workflow.delete":
      if (workflow.state === "ENDED") return ERRORS.ended;
      return workflow.state === "STARTED" ? ERRORS.deleteStarted : undefined;
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
            message: "The workflow cannot be completed yet.",
            missing_requirements: [startedRequirement(workflow.workflow_id)],
          }
        : undefined;
  }
}

/** One workflow of every type and state the API can produce, in one account. */
export async function everyKindOfWorkflow(server: TestServer) {
  const fixture = await server.fixture();
  const { client, account } = fixture;
  const ended = await createEndedApplication(client, account.id);
  const underwriting = (await workflowsOf(server, ended.subject_record_id)).find(
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

/** `method` answers each type and state with its guard; a refused change changes nothing. */
export async function assertGuards(server: TestServer, method: Guarded): Promise<void> {
  const { client, workflows } = await everyKindOfWorkflow(server);
  for (const [label, workflow] of Object.entries(workflows)) {
    const eventsBefore = (await server.store.listEvents({ workflowId: workflow.workflow_id })).length;
    const result = await client.call(method, bodyFor(method, workflow.workflow_id));
    const error = expected(method, workflow);
    if (error) {
      expectErrors(result, 400, [error]);
      assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow, label);
      const events = await server.store.listEvents({ workflowId: workflow.workflow_id });
      assert.equal(events.length, eventsBefore, label);
    } else {
      assert.ok(result.ok, `${method} on ${label}: ${JSON.stringify(result)}`);
    }
  }
}

/** An unknown workflow is ENTITY_NOT_FOUND and a malformed ID BAD_REQUEST, both on workflow_id. */
export async function assertUnknownAndMalformedId(server: TestServer, method: Guarded | "workflow.get") {
  const { client } = await server.fixture();
  expectErrors(await client.call(method, bodyFor(method, "w_2dJFFW3HY8a3zOjqwUXhQc")), 400, [
    notFound("Workflow", "workflow_id"),
  ]);
  expectErrors(await client.call(method, bodyFor(method, "wf_2dJFFW3HY8a3zOjqwUXhQc")), 400, [
    badRequest("workflow_id", 'must match pattern "^(w_)[0-9A-Za-z]{1,22}$"'),
  ]);
}

/**
 * A workflow of another organization, of an account outside the credential's list, or of a live
 * account (to a sandbox credential) is ENTITY_NOT_FOUND, and stays as it was.
 */
export async function assertWorkflowHidden(server: TestServer, method: Guarded | "workflow.get") {
  for (const { name, viewer, owner, accountId } of await outOfSight(server)) {
    const workflow = await createApplication(owner, accountId, { state: "CREATED" });
    const result = await viewer.call(method, bodyFor(method, workflow.workflow_id));
    expectErrors(result, 400, [notFound("Workflow", "workflow_id")]);
    assert.deepEqual(await getWorkflow(owner, workflow.workflow_id), workflow, name);
  }
}

/** A read-only credential is refused `method` with 403 PERMISSION_DENIED, and nothing changes. */
export async function assertReadOnlyRefused(
  server: TestServer,
  method: "workflow.update" | "workflow.start" | "workflow.complete" | "workflow.delete",
) {
  const { client, account, reader } = await withReader(server);
  const created = await createApplication(client, account.id, { state: "CREATED" });
  const eventsBefore = await server.store.listEvents({ accountId: account.id });
  expectErrors(await reader.call(method, bodyFor(method, created.workflow_id)), 403, [
    ERRORS.readOnly(method),
  ]);
  assert.deepEqual(await getWorkflow(client, created.workflow_id), created);
  assert.deepEqual(await server.store.listEvents({ accountId: account.id }), eventsBefore);
}
