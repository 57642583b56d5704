/**
 * workflow.create as one store operation. The handler builds a plan (the rows to insert, the
 * caller's scope); the store checks every rule in the order methods.md gives and, only if all
 * pass, writes the subject record, the workflow and the event atomically. It answers with a
 * verdict, which `createVerdictError` turns into the API's error. SQLite runs the checks as
 * queries in a transaction; PostgreSQL runs checks and writes as one statement.
 */
import { type ApiError, authFailed, configViolation, notFound, ruleViolation } from "../errors.js";
import type { EventRecord, SubjectRecord, SubjectRecordType, Workflow } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

export const CREATE_VERDICTS = [
  "ok",
  "credential_revoked",
  "nonce_reused",
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
export type CreateWorkflowVerdict = (typeof CREATE_VERDICTS)[number];

export type { VisibilityScope } from "./visibility.js";

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
  /** The workflow row; its email claim is decided by the store from the account's setting. */
  workflow: Workflow;
  event: EventRecord;
  /**
   * The API key of a credential the authenticator took from memory: checked first, in the same
   * statement, to be still unrevoked (null when the request's authentication read it already).
   */
  credentialToConfirm: string | null;
  /** The request's nonce, recorded in the same transaction (checked before the rules). */
  nonce: { apiKey: string; nonce: string; now: string; seenSince: string } | null;
}

export const DETAILS_PATH = "workflow.details.business_application_details";

export const SUBJECT_RECORD_LIMIT_MESSAGE = "Subject Record already has a BUSINESS_APPLICATION workflow";
export const DUPLICATE_EMAIL_MESSAGE =
  "The applying user's email is already used by another BUSINESS_APPLICATION workflow of this account";

export function subjectRecordLimitError(): ApiError {
  return ruleViolation("Workflow", "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT", SUBJECT_RECORD_LIMIT_MESSAGE);
}

export function duplicateEmailError(): ApiError {
  return configViolation("Workflow", "DUPLICATE_EMAIL", DUPLICATE_EMAIL_MESSAGE);
}

export function createVerdictError(
  verdict: Exclude<CreateWorkflowVerdict, "ok">,
  plan: CreateWorkflowPlan,
): ApiError {
  switch (verdict) {
    case "credential_revoked":
      return authFailed("INVALID_CREDENTIALS", "The API key or auth token is not valid");
    case "nonce_reused":
      return authFailed("NONCE_REUSED", "This nonce was already used");
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
      return notFound("Pricing model", `${DETAILS_PATH}.pricing_model_id`);
    case "equipment_collection_not_found":
      return notFound("Equipment collection", `${DETAILS_PATH}.equipment_collection_id`);
    case "business_application_limit":
      return subjectRecordLimitError();
    case "duplicate_email":
      return duplicateEmailError();
  }
}
