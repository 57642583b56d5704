/**
 * For the store contract suite: a migrated store on a fresh database per suite, and builders for
 * records with fixed, millisecond-precise timestamps so read-backs can be compared exactly.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import type { CreateWorkflowPlan } from "../../src/domain/create-workflow.js";
import { newId } from "../../src/domain/ids.js";
import type {
  Account,
  EventRecord,
  Organization,
  SubjectRecord,
  Workflow,
  WorkflowType,
} from "../../src/domain/records.js";
import { ApiError } from "../../src/errors.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "./databases.js";

/**
 * Registers before/after hooks: a fresh, migrated database and a store on it — on SQLite with
 * writes on the writer thread, as `serve` runs it (the in-thread path is the CLI's).
 */
export function useStore(kind: DatabaseKind): () => Store {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  before(async () => {
    database = await createTestDatabase(kind);
    store = openStore(database.target, { sqliteWriterThread: true });
    await store.migrate();
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });
  return () => {
    if (!store) throw new Error("store not open");
    return store;
  };
}

/** A fixed instant plus `seconds`, as the application writes times: ISO 8601 UTC with milliseconds. */
export function at(seconds: number): string {
  return new Date(Date.UTC(2025, 2, 24, 10, 0, 0, 123) + seconds * 1000).toISOString();
}

/** A Base62 tail that keeps hand-made IDs unique across tests sharing one database. */
export function uniqueTail(): string {
  return randomBytes(6).toString("hex");
}

export function organization(): Organization {
  return { id: newId("organization"), name: "Contract Org", created_at: at(0) };
}

export function account(organizationId: string, overrides: Partial<Account> = {}): Account {
  return {
    id: newId("sandbox"),
    organization_id: organizationId,
    environment: "sandbox",
    name: "Contract account",
    allow_multiple_applications_per_email: true,
    created_at: at(1),
    updated_at: at(1),
    ...overrides,
  };
}

export function subjectRecord(accountId: string, overrides: Partial<SubjectRecord> = {}): SubjectRecord {
  return {
    id: newId("subjectRecord"),
    account_id: accountId,
    type: "BUSINESS",
    created_at: at(2),
    updated_at: at(2),
    ...overrides,
  };
}

export function workflow(
  record: SubjectRecord,
  type: WorkflowType,
  overrides: Partial<Workflow> & { email?: string } = {},
): Workflow {
  const { email, ...rest } = overrides;
  return {
    id: newId("workflow"),
    account_id: record.account_id,
    subject_record_id: record.id,
    type,
    state: "CREATED",
    details:
      type === "BUSINESS_APPLICATION"
        ? {
            applying_user: { email: email ?? "ann@example.com", first_name: "Ann", last_name: null },
            pricing_model_id: null,
            equipment_collection_id: null,
            referrer_value: "REF-1",
          }
        : null,
    started_at: null,
    ended_at: null,
    created_at: at(3),
    updated_at: at(3),
    ...rest,
  };
}

export function event(wf: Workflow, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id: newId("event"),
    event_type: "WORKFLOW_CREATED",
    account_id: wf.account_id,
    subject_record_id: wf.subject_record_id,
    workflow_id: wf.id,
    workflow_type: wf.type,
    actor_type: "API_KEY",
    actor_id: "sb_contract",
    created_at: at(4),
    ...overrides,
  };
}

/** A store with an organization and a sandbox account in it, for tests that need somewhere to write. */
export async function seedAccount(store: Store, overrides: Partial<Account> = {}): Promise<Account> {
  const org = organization();
  await store.insertOrganization(org);
  const acc = account(org.id, overrides);
  await store.insertAccount(acc);
  return acc;
}

/** Asserts the API error a rule index stands for: code, sub_code, entity_type and a 400. */
export function isRuleError(
  code: "SYSTEM_RULE_VIOLATION" | "ACCOUNT_CONFIGURATION_VIOLATION",
  subCode: string,
) {
  return (error: unknown): true => {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, 400);
    assert.equal(error.details.sub_code, subCode);
    assert.equal(error.details.entity_type, "Workflow");
    return true;
  };
}

/**
 * A workflow.create plan as the handler builds it, for a new subject record: a BUSINESS_APPLICATION
 * when `email` is given, an ACCOUNT_PROVISIONING otherwise. No credential to confirm, no nonce.
 */
export function createPlan(
  acc: Account,
  options: { email?: string; workflowId?: string } = {},
): CreateWorkflowPlan {
  const record = subjectRecord(acc.id);
  const type = options.email === undefined ? "ACCOUNT_PROVISIONING" : "BUSINESS_APPLICATION";
  const wf = workflow(record, type, {
    email: options.email,
    ...(options.workflowId ? { id: options.workflowId } : {}),
  });
  return {
    scope: { organization_id: acc.organization_id, environment: acc.environment, account_ids: null },
    accountId: acc.id,
    creatable: true,
    subjectRecordId: null,
    requiredSubjectRecordType: record.type,
    newSubjectRecord: record,
    workflow: wf,
    event: event(wf),
    credentialToConfirm: null,
    nonce: null,
  };
}
