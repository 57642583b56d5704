/**
 * Helpers for the workflow tests: request bodies, the exact error objects the API sends, and
 * counts of what a request wrote (to prove a failed one wrote nothing).
 */
import assert from "node:assert/strict";
import type { CallResult, MethodName, RequestOf, ResponseOf, VettedClient } from "@vetted/client";
import type { WireError } from "../../src/errors.js";
import type { TestServer } from "./server.js";

export type WorkflowObject = ResponseOf<"workflow.get">["workflow"];

export const DETAILS = "workflow.details.business_application_details";
export const PRICING_MODEL = `${DETAILS}.pricing_model_id`;
export const EQUIPMENT_COLLECTION = `${DETAILS}.equipment_collection_id`;
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const WORKFLOW_ID = /^w_[0-9A-Za-z]{21,22}$/;
export const SUBJECT_RECORD_ID = /^sr_[0-9A-Za-z]{21,22}$/;

/** Sends a body the typed client would refuse to compile: for the BAD_REQUEST tests. */
export function callUntyped<N extends MethodName>(
  client: VettedClient,
  method: N,
  body: unknown,
): Promise<CallResult<ResponseOf<N>>> {
  return client.call(method, body as RequestOf<N>);
}

export interface ApplicationOptions {
  email?: string;
  subjectRecordId?: string;
  state?: "CREATED" | "STARTED";
  first_name?: string;
  last_name?: string;
  pricing_model_id?: string;
  equipment_collection_id?: string;
  referrer_value?: string;
}

export function applicationBody(accountId: string, options: ApplicationOptions = {}) {
  const { email = "ann@example.com", subjectRecordId, state, first_name, last_name, ...rest } = options;
  return {
    account_id: accountId,
    workflow: {
      type: "BUSINESS_APPLICATION" as const,
      ...(state ? { state } : {}),
      ...(subjectRecordId ? { subject_record_id: subjectRecordId } : {}),
      details: {
        business_application_details: {
          applying_user: {
            email,
            ...(first_name !== undefined ? { first_name } : {}),
            ...(last_name !== undefined ? { last_name } : {}),
          },
          ...rest,
        },
      },
    },
  };
}

export function expectOk<T>(result: CallResult<T>): T {
  assert.ok(result.ok, `expected success, got ${result.status} ${JSON.stringify(result)}`);
  assert.equal(result.status, 200);
  assert.equal(result.meta.status, "SUCCESS");
  return result.data;
}

/** The whole error response: status, envelope and every error object, exactly. */
export function expectErrors<T>(result: CallResult<T>, status: number, errors: WireError[]): void {
  assert.ok(!result.ok, `expected an error, got ${result.status} ${JSON.stringify(result)}`);
  assert.equal(result.status, status);
  assert.equal(result.meta.status, "ERROR");
  assert.match(result.meta.trace_id, /^trc_/);
  assert.deepEqual(result.errors, errors);
}

export async function createApplication(
  client: VettedClient,
  accountId: string,
  options: ApplicationOptions = {},
): Promise<WorkflowObject> {
  return expectOk(await client.call("workflow.create", applicationBody(accountId, options))).workflow;
}

export async function createProvisioning(
  client: VettedClient,
  accountId: string,
  options: { subjectRecordId?: string; state?: "CREATED" | "STARTED" } = {},
): Promise<WorkflowObject> {
  const workflow = {
    type: "ACCOUNT_PROVISIONING" as const,
    ...(options.state ? { state: options.state } : {}),
    ...(options.subjectRecordId ? { subject_record_id: options.subjectRecordId } : {}),
  };
  return expectOk(await client.call("workflow.create", { account_id: accountId, workflow })).workflow;
}

export async function createSubjectRecord(
  client: VettedClient,
  accountId: string,
  type: "BUSINESS" | "PERSON" = "BUSINESS",
): Promise<string> {
  const result = await client.call("subjectRecord.create", {
    account_id: accountId,
    subject_record: { type },
  });
  return expectOk(result).subject_record.subject_record_id;
}

export async function getWorkflow(client: VettedClient, workflowId: string): Promise<WorkflowObject> {
  return expectOk(await client.call("workflow.get", { workflow_id: workflowId })).workflow;
}

/** A business application that has completed: ENDED, with its underwriting workflow beside it. */
export async function createEndedApplication(
  client: VettedClient,
  accountId: string,
  options: ApplicationOptions = {},
): Promise<WorkflowObject> {
  const workflow = await createApplication(client, accountId, options);
  expectOk(await client.call("workflow.complete", { workflow_id: workflow.workflow_id }));
  return getWorkflow(client, workflow.workflow_id);
}

/** What the account holds in the database, read directly (not through the API). */
export async function accountRows(server: TestServer, accountId: string) {
  const subjectRecords = await server.store.listSubjectRecords(accountId, { limit: 100_000 });
  const events = await server.store.listEvents({ accountId });
  return { subjectRecords: subjectRecords.items.length, events: events.length };
}

export async function workflowsOf(server: TestServer, subjectRecordId: string) {
  return (await server.store.listWorkflows(subjectRecordId, { limit: 100_000 })).items;
}

/** How many workflows an account holds, over all its subject records (read past the API). */
export async function workflowCountOf(server: TestServer, accountId: string): Promise<number> {
  const records = await server.store.listSubjectRecords(accountId, { limit: 100_000 });
  let count = 0;
  for (const record of records.items) count += (await workflowsOf(server, record.id)).length;
  return count;
}

// The exact error objects, as the catalog words them.

export function badRequest(field: string, problem: string): WireError {
  return { code: "BAD_REQUEST", message: `${field} ${problem}`, field };
}

export function notFound(entity: string, field: string): WireError {
  return { code: "ENTITY_NOT_FOUND", message: `${entity} not found`, field };
}

export function ruleViolation(sub_code: string, message: string): WireError {
  return { code: "SYSTEM_RULE_VIOLATION", message, entity_type: "Workflow", sub_code };
}

export const ERRORS = {
  duplicateEmail: {
    code: "ACCOUNT_CONFIGURATION_VIOLATION",
    message:
      "The applying user's email is already used by another BUSINESS_APPLICATION workflow of this account",
    entity_type: "Workflow",
    sub_code: "DUPLICATE_EMAIL",
  } satisfies WireError,
  typeLimit: ruleViolation(
    "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT",
    "Subject Record already has a BUSINESS_APPLICATION workflow",
  ),
  crossAccount: ruleViolation(
    "CROSS_ACCOUNT_REFERENCE",
    "The Subject Record must belong to the account given in account_id",
  ),
  underwritingNotCreatable: ruleViolation(
    "INVALID_WORKFLOW_TYPE",
    "BUSINESS_UNDERWRITING workflows are created by completing a BUSINESS_APPLICATION",
  ),
  ended: ruleViolation("WORKFLOW_ENDED", "The workflow has ended and can no longer change"),
  started: ruleViolation("WORKFLOW_STARTED", "The workflow is already STARTED"),
  alreadyStarted: ruleViolation(
    "WORKFLOW_ALREADY_STARTED",
    "The workflow has started; its details can be updated only while it is CREATED",
  ),
  deleteStarted: ruleViolation(
    "WORKFLOW_ALREADY_STARTED",
    "The workflow has started; only a CREATED workflow can be deleted",
  ),
  readOnly: (method: string): WireError => ({
    code: "PERMISSION_DENIED",
    message: `This credential is read-only; ${method} writes`,
  }),
  invalidType: (method: string, type: string) =>
    ruleViolation("INVALID_WORKFLOW_TYPE", `${method} is not supported for ${type} workflows`),
  invalidSubjectRecordType: (type: string) =>
    ruleViolation("INVALID_SUBJECT_RECORD_TYPE", `${type} workflows need a BUSINESS Subject Record`),
};

/** The one requirement a CREATED business application lacks. */
export function startedRequirement(workflowId: string) {
  return {
    requirement: "STARTED_WORKFLOW",
    code: "STARTED_WORKFLOW_REQUIRED",
    entity_type: "Workflow",
    entity_id: workflowId,
    message: "Workflow with `STARTED` state is required.",
    related_methods: ["workflow.start"],
  };
}

/** A fixture whose credential sees two sandbox accounts of its organization: `account` and `other`. */
export async function twoSandboxAccounts(server: TestServer) {
  const fixture = await server.fixture();
  const other = await server.operator.createAccount({
    organizationId: fixture.organization.id,
    environment: "sandbox",
  });
  return { ...fixture, other };
}
