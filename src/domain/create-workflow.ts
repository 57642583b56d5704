/**
 * workflow.create's rules, stated once. The method builds a plan (the rows to insert, the caller's
 * scope); `decideCreate` names the first rule the plan breaks, in the order methods.md gives, from
 * the facts the database holds; `createWorkflow` gathers those facts in a transaction and, if no
 * rule is broken, writes the subject record, the workflow and its event. PostgreSQL's batched
 * create (store/speed-ups/postgres-create-batch.ts) gathers the same facts for many creates in one
 * statement and asks the same `decideCreate`.
 */
import { type ApiError, configViolation, notFound, ruleViolation } from "../errors.js";
import type { DomainStore } from "./domain-store.js";
import type { EventRecord, SubjectRecord, SubjectRecordType, Workflow } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

export const CREATE_REFUSALS = [
  "account_not_found",
  "invalid_workflow_type",
  "subject_record_not_found",
  "cross_account",
  "invalid_subject_record_type",
  "pricing_model_not_found",
  "equipment_collection_not_found",
  "business_application_limit",
  "duplicate_email",
] as const;
export type CreateRefusal = (typeof CREATE_REFUSALS)[number];

export interface CreateWorkflowPlan {
  scope: VisibilityScope;
  accountId: string;
  /** false for types that workflow.create may not make (BUSINESS_UNDERWRITING). */
  creatable: boolean;
  /** The existing subject record named in the request, if any. */
  subjectRecordId: string | null;
  requiredSubjectRecordType: SubjectRecordType;
  /** The subject record to create when none was named. */
  newSubjectRecord: SubjectRecord | null;
  /** The workflow row; its email claim follows from the account's setting (`emailClaimOf`). */
  workflow: Workflow;
  event: EventRecord;
}

/**
 * What the database says about a plan. A fact a rule does not need for this plan (the subject
 * record when none is named, the email when the account allows shared ones) may be left false.
 */
export interface CreateFacts {
  /** The account, if it exists and the caller may see it. */
  account: { id: string; allowsSharedEmails: boolean } | null;
  /** The named subject record, if it exists and the caller may see it. */
  subjectRecord: { account_id: string; type: SubjectRecordType } | null;
  pricingModelFound: boolean;
  equipmentCollectionFound: boolean;
  /** The named subject record already has a BUSINESS_APPLICATION. */
  subjectRecordHasApplication: boolean;
  /** Another BUSINESS_APPLICATION of the account has the applicant's email. */
  emailTaken: boolean;
}

/** The first rule the plan breaks, in methods.md's order, or null when it may be written. */
export function decideCreate(plan: CreateWorkflowPlan, facts: CreateFacts): CreateRefusal | null {
  if (!facts.account) return "account_not_found";
  if (!plan.creatable) return "invalid_workflow_type";
  if (plan.subjectRecordId !== null) {
    if (!facts.subjectRecord) return "subject_record_not_found";
    if (facts.subjectRecord.account_id !== facts.account.id) return "cross_account";
    if (facts.subjectRecord.type !== plan.requiredSubjectRecordType) return "invalid_subject_record_type";
  }
  const details = plan.workflow.details;
  if (details?.pricing_model_id && !facts.pricingModelFound) return "pricing_model_not_found";
  if (details?.equipment_collection_id && !facts.equipmentCollectionFound)
    return "equipment_collection_not_found";
  if (isApplication(plan) && plan.subjectRecordId !== null && facts.subjectRecordHasApplication)
    return "business_application_limit";
  if (emailClaimOf(plan, facts.account.allowsSharedEmails) !== null && facts.emailTaken)
    return "duplicate_email";
  return null;
}

function isApplication(plan: CreateWorkflowPlan): boolean {
  return plan.workflow.type === "BUSINESS_APPLICATION";
}

/**
 * The applicant email a business application claims on the unique-email index: lower-cased, and
 * only in an account that does not allow shared emails (null there). One rule for create and update.
 */
export function emailClaimFor(email: string, allowsSharedEmails: boolean): string | null {
  return allowsSharedEmails ? null : email.toLowerCase();
}

/** The email claim of a create's workflow: only a business application claims one. */
export function emailClaimOf(plan: CreateWorkflowPlan, allowsSharedEmails: boolean): string | null {
  const email = plan.workflow.details?.applying_user.email;
  if (!isApplication(plan) || email === undefined) return null;
  return emailClaimFor(email, allowsSharedEmails);
}

/** The facts `decideCreate` needs for one plan, read in one transaction. */
async function gatherFacts(tx: DomainStore, plan: CreateWorkflowPlan): Promise<CreateFacts> {
  const account = await tx.getVisibleAccount(plan.accountId, plan.scope);
  const record =
    plan.subjectRecordId === null
      ? undefined
      : await tx.getVisibleSubjectRecord(plan.subjectRecordId, plan.scope);
  const details = plan.workflow.details;
  const emailClaim = account ? emailClaimOf(plan, account.allow_multiple_applications_per_email) : null;
  return {
    account: account
      ? { id: account.id, allowsSharedEmails: account.allow_multiple_applications_per_email }
      : null,
    subjectRecord: record ? { account_id: record.account_id, type: record.type } : null,
    pricingModelFound: details?.pricing_model_id
      ? await tx.pricingModelExists(plan.accountId, details.pricing_model_id)
      : false,
    equipmentCollectionFound: details?.equipment_collection_id
      ? await tx.equipmentCollectionExists(plan.accountId, details.equipment_collection_id)
      : false,
    subjectRecordHasApplication:
      isApplication(plan) && plan.subjectRecordId !== null
        ? await tx.hasWorkflowOfType(plan.subjectRecordId, "BUSINESS_APPLICATION")
        : false,
    emailTaken: emailClaim !== null && account ? await tx.applicantEmailInUse(account.id, emailClaim) : false,
  };
}

/**
 * The write procedure: checks the rules and writes the subject record (if new), the workflow and
 * its event. The two reads that race (the subject record's application, the email) answer
 * precisely in the common case; the rule indexes make the rules hold when simultaneous creates
 * both pass them, and the store turns their refusal into the same errors.
 */
export async function createWorkflow(tx: DomainStore, plan: CreateWorkflowPlan): Promise<Workflow> {
  const facts = await gatherFacts(tx, plan);
  const refusal = decideCreate(plan, facts);
  if (refusal !== null) throw createRefusalError(refusal, plan);
  if (plan.newSubjectRecord) await tx.insertSubjectRecord(plan.newSubjectRecord);
  const allowsSharedEmails = facts.account?.allowsSharedEmails ?? true;
  await tx.insertWorkflow({ workflow: plan.workflow, emailClaim: emailClaimOf(plan, allowsSharedEmails) });
  await tx.insertEvent(plan.event);
  return plan.workflow;
}

export const DETAILS_PATH = "workflow.details.business_application_details";

export function subjectRecordLimitError(): ApiError {
  return ruleViolation(
    "Workflow",
    "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT",
    "Subject Record already has a BUSINESS_APPLICATION workflow",
  );
}

/** One message for workflow.create and workflow.update, and for the rule index that backs both. */
export function duplicateEmailError(): ApiError {
  return configViolation(
    "Workflow",
    "DUPLICATE_EMAIL",
    "The applying user's email is already used by another BUSINESS_APPLICATION workflow of this account",
  );
}

export function pricingModelNotFound(): ApiError {
  return notFound("Pricing model", `${DETAILS_PATH}.pricing_model_id`);
}

export function equipmentCollectionNotFound(): ApiError {
  return notFound("Equipment collection", `${DETAILS_PATH}.equipment_collection_id`);
}

export function createRefusalError(refusal: CreateRefusal, plan: CreateWorkflowPlan): ApiError {
  switch (refusal) {
    case "account_not_found":
      return notFound("Account", "account_id");
    case "invalid_workflow_type":
      return ruleViolation(
        "Workflow",
        "INVALID_WORKFLOW_TYPE",
        `${plan.workflow.type} workflows are created by completing a BUSINESS_APPLICATION`,
      );
    case "subject_record_not_found":
      return notFound("Subject Record", "workflow.subject_record_id");
    case "cross_account":
      return ruleViolation(
        "Workflow",
        "CROSS_ACCOUNT_REFERENCE",
        "The Subject Record must belong to the account given in account_id",
      );
    case "invalid_subject_record_type":
      return ruleViolation(
        "Workflow",
        "INVALID_SUBJECT_RECORD_TYPE",
        `${plan.workflow.type} workflows need a ${plan.requiredSubjectRecordType} Subject Record`,
      );
    case "pricing_model_not_found":
      return pricingModelNotFound();
    case "equipment_collection_not_found":
      return equipmentCollectionNotFound();
    case "business_application_limit":
      return subjectRecordLimitError();
    case "duplicate_email":
      return duplicateEmailError();
  }
}
