/**
 * workflow.update, workflow.start and workflow.complete as write procedures: each reads, checks
 * its rules in methods.md's order and writes, all in the one transaction of its request. The
 * compare-and-set writes decide between simultaneous requests on PostgreSQL, where a row read
 * earlier in the transaction may have moved on before the write.
 */
import { ApiError } from "../errors.js";
import { utcDate } from "./calendar.js";
import {
  duplicateEmailError,
  emailClaimFor,
  equipmentCollectionNotFound,
  pricingModelNotFound,
} from "./create-workflow.js";
import type { DomainReads, DomainStore } from "./domain-store.js";
import { type Actor, workflowEvent } from "./events.js";
import { newId } from "./ids.js";
import { visibleAccount, visibleWorkflow } from "./lookups.js";
import { unmetRequirements } from "./record-snapshot.js";
import type { BusinessApplicationDetails, Workflow } from "./records.js";
import type { VisibilityScope } from "./visibility.js";
import {
  assertBusinessApplication,
  assertDeletable,
  assertNotEnded,
  assertStartable,
  assertUpdatable,
  workflowEnded,
} from "./workflow-rules.js";

/** A change to one workflow named in the request's `workflow_id`. */
export interface WorkflowChange {
  scope: VisibilityScope;
  actor: Actor;
  workflowId: string;
  now: string;
}

export type DetailsPatch = {
  applying_user?: { email?: string; first_name?: string | null; last_name?: string | null };
  pricing_model_id?: string | null;
  equipment_collection_id?: string | null;
  referrer_value?: string | null;
};

/** The workflow the change names, if the caller may see it. */
function changedWorkflow(tx: DomainReads, change: WorkflowChange): Promise<Workflow> {
  return visibleWorkflow(tx, change.scope, change.workflowId, "workflow_id");
}

/**
 * A compare-and-set that moved nothing lost a race: answer as if this request had come after the
 * one that won — ENTITY_NOT_FOUND when that one deleted the workflow, else the state guard's error.
 */
async function answerAfterLostRace(
  tx: DomainReads,
  change: WorkflowChange,
  assertStillAllowed: (current: Workflow) => void,
): Promise<never> {
  const current = await tx.getWorkflow(change.workflowId);
  if (current) assertStillAllowed(current);
  else await changedWorkflow(tx, change);
  throw new Error(`workflow ${change.workflowId} changed under a compare-and-set, and its guard allows it`);
}

/** A given field replaces the stored one; null clears an optional one; absent keeps it. */
function applyPatch(current: BusinessApplicationDetails, patch: DetailsPatch): BusinessApplicationDetails {
  const user = patch.applying_user ?? {};
  const pick = <T>(given: T | undefined, stored: T) => (given === undefined ? stored : given);
  return {
    applying_user: {
      email: pick(user.email, current.applying_user.email),
      first_name: pick(user.first_name, current.applying_user.first_name),
      last_name: pick(user.last_name, current.applying_user.last_name),
    },
    pricing_model_id: pick(patch.pricing_model_id, current.pricing_model_id),
    equipment_collection_id: pick(patch.equipment_collection_id, current.equipment_collection_id),
    referrer_value: pick(patch.referrer_value, current.referrer_value),
  };
}

export async function updateWorkflow(
  tx: DomainStore,
  change: WorkflowChange & { patch: DetailsPatch },
): Promise<void> {
  const workflow = await changedWorkflow(tx, change);
  assertBusinessApplication(workflow, "workflow.update");
  assertUpdatable(workflow);
  if (!workflow.details) throw new Error(`business application ${workflow.id} has no details`);
  const { patch } = change;
  if (patch.pricing_model_id && !(await tx.pricingModelExists(workflow.account_id, patch.pricing_model_id)))
    throw pricingModelNotFound();
  if (
    patch.equipment_collection_id &&
    !(await tx.equipmentCollectionExists(workflow.account_id, patch.equipment_collection_id))
  )
    throw equipmentCollectionNotFound();
  const account = await visibleAccount(tx, change.scope, workflow.account_id, "workflow_id");

  const updated = { ...workflow, details: applyPatch(workflow.details, patch), updated_at: change.now };
  const newEmail = updated.details.applying_user.email.toLowerCase();
  const emailChanged = newEmail !== workflow.details.applying_user.email.toLowerCase();
  const newClaim = emailClaimFor(
    updated.details.applying_user.email,
    account.allow_multiple_applications_per_email,
  );
  if (emailChanged && newClaim !== null && (await tx.applicantEmailInUse(account.id, newClaim, workflow.id)))
    throw duplicateEmailError();
  const emailClaim = emailChanged ? newClaim : undefined;
  if (!(await tx.updateWorkflowDetails({ workflow: updated, emailClaim }, "CREATED")))
    await answerAfterLostRace(tx, change, assertUpdatable);
}

export async function startWorkflow(tx: DomainStore, change: WorkflowChange): Promise<void> {
  const workflow = await changedWorkflow(tx, change);
  assertStartable(workflow);
  const { now } = change;
  // Compare-and-set: of simultaneous starts exactly one moves the row; the others see why not.
  if (!(await tx.transitionWorkflow(workflow.id, "CREATED", "STARTED", { started_at: now, updated_at: now })))
    await answerAfterLostRace(tx, change, assertStartable);
  const started = { ...workflow, state: "STARTED" as const, started_at: now, updated_at: now };
  await tx.insertEvent(workflowEvent("WORKFLOW_STARTED", started, change.actor, now));
}

/**
 * workflow.delete: a CREATED workflow goes, freeing its subject record's business-application
 * slot and its applying user's email (both rules count existing workflows only). The delete is
 * conditional on the state, so of a simultaneous start and delete exactly one wins.
 */
export async function deleteWorkflow(tx: DomainStore, change: WorkflowChange): Promise<void> {
  const workflow = await changedWorkflow(tx, change);
  assertDeletable(workflow);
  if (!(await tx.deleteWorkflowInState(workflow.id, "CREATED")))
    await answerAfterLostRace(tx, change, assertDeletable);
  await tx.insertEvent(workflowEvent("WORKFLOW_DELETED", workflow, change.actor, change.now));
}

/** The business application ENDS and a BUSINESS_UNDERWRITING workflow starts on its subject record. */
export async function completeWorkflow(tx: DomainStore, change: WorkflowChange): Promise<void> {
  const workflow = await changedWorkflow(tx, change);
  assertBusinessApplication(workflow, "workflow.complete");
  assertNotEnded(workflow);
  const { now } = change;
  // Under the subject record's lock, no data write lands between this judgement and ENDED (§3.4).
  await tx.lockSubjectRecord(workflow.subject_record_id);
  const missing = await unmetRequirements(tx, workflow, utcDate(new Date(now)));
  if (missing.length > 0) {
    throw new ApiError("MISSING_REQUIREMENTS", {
      message: "The workflow cannot be completed yet.",
      missing_requirements: missing,
    });
  }
  // Compare-and-set: a simultaneous second completion finds the workflow ENDED.
  if (!(await tx.transitionWorkflow(workflow.id, "STARTED", "ENDED", { ended_at: now, updated_at: now })))
    throw workflowEnded();
  const ended = { ...workflow, state: "ENDED" as const, ended_at: now, updated_at: now };
  await tx.insertEvent(workflowEvent("WORKFLOW_COMPLETED", ended, change.actor, now));
  const underwriting: Workflow = {
    id: newId("workflow"),
    account_id: workflow.account_id,
    subject_record_id: workflow.subject_record_id,
    type: "BUSINESS_UNDERWRITING",
    state: "STARTED",
    details: null,
    started_at: now,
    ended_at: null,
    created_at: now,
    updated_at: now,
  };
  await tx.insertWorkflow({ workflow: underwriting, emailClaim: null });
  await tx.insertEvent(workflowEvent("WORKFLOW_STARTED", underwriting, "SYSTEM", now));
}
