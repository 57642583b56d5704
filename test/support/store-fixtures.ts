/**
 * For the store contract suite: a migrated store on a fresh database per suite, and builders for
 * records with fixed, millisecond-precise timestamps so read-backs can be compared exactly.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import { defaultAccountDataSettings } from "../../src/domain/account-settings.js";
import {
  CREATE_REFUSALS,
  type CreateRefusal,
  type CreateWorkflowPlan,
  createRefusalError,
} from "../../src/domain/create-workflow.js";
import { newId } from "../../src/domain/ids.js";
import type {
  Account,
  CredentialRecord,
  EventRecord,
  Organization,
  SubjectRecord,
  Workflow,
  WorkflowType,
} from "../../src/domain/records.js";
import { ApiError } from "../../src/errors.js";
import { openStore } from "../../src/store/open.js";
import type { NonceClaim, Store, UnitOfWork } from "../../src/store/store.js";
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
    ...defaultAccountDataSettings(),
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
    payload: null,
    ...overrides,
  };
}

export function credential(
  organizationId: string,
  overrides: Partial<CredentialRecord> = {},
): CredentialRecord {
  return {
    api_key: newId("sandbox"),
    organization_id: organizationId,
    environment: "sandbox",
    name: "contract",
    secret_key_sealed: "v1:c2VhbGVk",
    auth_token_hash: "f".repeat(64),
    signature_policy: "strict",
    read_only: false,
    can_unmask: true,
    account_ids: null,
    created_at: at(5),
    revoked_at: null,
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
  };
}

/** `createPlan` for a workflow on an existing subject record, which the plan names. */
export function planOnRecord(
  acc: Account,
  record: SubjectRecord,
  type: WorkflowType,
  options: { email?: string } = {},
): CreateWorkflowPlan {
  const wf = workflow(record, type, { email: options.email, account_id: acc.id });
  return {
    ...createPlan(acc),
    subjectRecordId: record.id,
    newSubjectRecord: null,
    workflow: wf,
    event: event(wf),
  };
}

export interface VerdictCase {
  name: string;
  plan: GuardedPlan;
  expected: CreateAnswer;
}

/**
 * One workflow.create plan for every verdict the store can answer (and a few ways to "ok"), set
 * up in the store so that each is decided by a different check. No two of them claim the same
 * nonce, email or subject record, so they may all be written together.
 */
export async function verdictCases(store: Store): Promise<VerdictCase[]> {
  const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
  const sibling = account(acc.organization_id);
  await store.insertAccount(sibling);
  const stranger = await seedAccount(store);
  const live = credential(acc.organization_id);
  const revoked = credential(acc.organization_id);
  await store.insertCredential(live);
  await store.insertCredential(revoked);
  await store.revokeCredential(revoked.api_key, at(6));
  const pricingModel = { id: newId("pricingModel"), account_id: acc.id, name: "Standard", created_at: at(6) };
  const equipment = { id: newId("equipmentCollection"), account_id: acc.id, name: "POS", created_at: at(6) };
  const siblingPricingModel = { ...pricingModel, id: newId("pricingModel"), account_id: sibling.id };
  const siblingEquipment = { ...equipment, id: newId("equipmentCollection"), account_id: sibling.id };
  await store.insertPricingModel(pricingModel);
  await store.insertEquipmentCollection(equipment);
  await store.insertPricingModel(siblingPricingModel);
  await store.insertEquipmentCollection(siblingEquipment);

  const record = async (owner: Account, type: SubjectRecord["type"] = "BUSINESS") => {
    const made = subjectRecord(owner.id, { type });
    await store.insertSubjectRecord(made);
    return made;
  };
  const free = await record(acc);
  const person = await record(acc, "PERSON");
  const siblings = await record(sibling);
  const applied = await record(acc);
  const takenEmail = `taken.${uniqueTail()}@example.com`;
  await store.insertWorkflow({
    workflow: workflow(applied, "BUSINESS_APPLICATION", { email: takenEmail }),
    emailClaim: takenEmail,
  });
  const siblingEmail = `shared.${uniqueTail()}@example.com`;
  const siblingRecord = await record(sibling);
  await store.insertWorkflow({
    workflow: workflow(siblingRecord, "BUSINESS_APPLICATION", { email: siblingEmail }),
    emailClaim: null,
  });

  const now = at(100);
  const nonce = (value: string, seenSince = at(50)) => ({
    apiKey: live.api_key,
    nonce: value,
    now,
    seenSince,
  });
  const usedNonce = `used-${uniqueTail()}`;
  const staleNonce = `stale-${uniqueTail()}`;
  assert.equal(await store.claimNonce(live.api_key, usedNonce, at(60), at(0)), true);
  assert.equal(await store.claimNonce(live.api_key, staleNonce, at(10), at(0)), true);

  const application = (owner: Account, email = `new.${uniqueTail()}@example.com`) =>
    createPlan(owner, { email });
  const withDetails = (plan: CreateWorkflowPlan, details: { pricing?: string; equipment?: string }) => {
    const current = plan.workflow.details;
    assert.ok(current);
    plan.workflow = {
      ...plan.workflow,
      details: {
        ...current,
        pricing_model_id: details.pricing ?? null,
        equipment_collection_id: details.equipment ?? null,
      },
    };
    return plan;
  };
  const cases: VerdictCase[] = [];
  const add = (name: string, plan: GuardedPlan, expected: CreateAnswer) =>
    cases.push({ name, plan, expected });

  add(
    "an application with every check passing",
    {
      ...withDetails(application(acc), { pricing: pricingModel.id, equipment: equipment.id }),
      credentialToConfirm: live.api_key,
      nonce: nonce(`fresh-${uniqueTail()}`),
    },
    "ok",
  );
  add("a provisioning workflow on an existing record", planOnRecord(acc, free, "ACCOUNT_PROVISIONING"), "ok");
  add("a nonce last seen before the window", { ...createPlan(acc), nonce: nonce(staleNonce) }, "ok");
  add("an email taken in an account that allows it", application(sibling, siblingEmail.toUpperCase()), "ok");
  add(
    "a revoked credential (its nonce is not recorded)",
    { ...createPlan(acc), credentialToConfirm: revoked.api_key, nonce: nonce(`unrecorded-${uniqueTail()}`) },
    "credential_revoked",
  );
  add("a nonce seen inside the window", { ...createPlan(acc), nonce: nonce(usedNonce) }, "nonce_reused");
  add("an account of another organization, with its own scope", createPlan(stranger), "ok");
  const outside = createPlan(stranger);
  add(
    "an account outside the credential's organization",
    { ...outside, scope: createPlan(acc).scope },
    "account_not_found",
  );
  add(
    "an account the credential is not given",
    { ...createPlan(acc), scope: { ...createPlan(acc).scope, account_ids: [sibling.id] } },
    "account_not_found",
  );
  add(
    "a type workflow.create may not make",
    { ...createPlan(acc), creatable: false },
    "invalid_workflow_type",
  );
  add(
    "a subject record that does not exist",
    planOnRecord(acc, subjectRecord(acc.id), "ACCOUNT_PROVISIONING"),
    "subject_record_not_found",
  );
  add(
    "a subject record of an account the credential is not given",
    {
      ...planOnRecord(acc, siblings, "ACCOUNT_PROVISIONING"),
      scope: { ...createPlan(acc).scope, account_ids: [acc.id] },
    },
    "subject_record_not_found",
  );
  add(
    "a subject record of another account",
    planOnRecord(acc, siblings, "ACCOUNT_PROVISIONING"),
    "cross_account",
  );
  add(
    "a subject record of the wrong type",
    planOnRecord(acc, person, "BUSINESS_APPLICATION", { email: `p.${uniqueTail()}@example.com` }),
    "invalid_subject_record_type",
  );
  add(
    "a pricing model of another account",
    withDetails(application(acc), { pricing: siblingPricingModel.id }),
    "pricing_model_not_found",
  );
  add(
    "an equipment collection of another account",
    withDetails(application(acc), { equipment: siblingEquipment.id }),
    "equipment_collection_not_found",
  );
  add(
    "a second application on a subject record",
    planOnRecord(acc, applied, "BUSINESS_APPLICATION", { email: `second.${uniqueTail()}@example.com` }),
    "business_application_limit",
  );
  add(
    "an email another application of the account has",
    application(acc, takenEmail.toUpperCase()),
    "duplicate_email",
  );
  return cases;
}

/** A create as a store test writes it: the plan, and the guard the HTTP layer would give its unit. */
export type GuardedPlan = CreateWorkflowPlan & {
  credentialToConfirm?: string | null;
  nonce?: NonceClaim | null;
};

/** Every answer a create can get: written, refused by its guard, or refused by a rule. */
export const CREATE_ANSWERS = ["ok", "credential_revoked", "nonce_reused", ...CREATE_REFUSALS] as const;
export type CreateAnswer = "ok" | "credential_revoked" | "nonce_reused" | CreateRefusal;

export function unitOf(plan: GuardedPlan): UnitOfWork<"createWorkflow"> {
  const { credentialToConfirm = null, nonce = null, ...input } = plan;
  return { guard: { credentialToConfirm, nonce, idempotency: null }, procedure: "createWorkflow", input };
}

/**
 * The answer an error stands for: the guard's two, or the rule whose error it is exactly (code,
 * sub_code, field and message). Anything else is not an answer, and is thrown again.
 */
export function answerOfError(error: unknown, plan: CreateWorkflowPlan): CreateAnswer {
  if (error instanceof ApiError) {
    if (error.details.sub_code === "INVALID_CREDENTIALS") return "credential_revoked";
    if (error.details.sub_code === "NONCE_REUSED") return "nonce_reused";
    const refusal = CREATE_REFUSALS.find((candidate) => {
      const expected = createRefusalError(candidate, plan);
      return (
        expected.code === error.code && JSON.stringify(expected.details) === JSON.stringify(error.details)
      );
    });
    if (refusal) return refusal;
  }
  throw error;
}

/** Writes one create through the store's unit of work and names its answer. */
export async function createAnswer(store: Pick<Store, "write">, plan: GuardedPlan): Promise<CreateAnswer> {
  try {
    await store.write(unitOf(plan));
    return "ok";
  } catch (error) {
    return answerOfError(error, plan);
  }
}
