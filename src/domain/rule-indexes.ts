/**
 * The database indexes that enforce business rules, and the domain error each one means. Both
 * adapters name a refused write by its index, and this table turns it into the API's error.
 */
import { type ApiError, configViolation, ruleViolation } from "../errors.js";

export const RULE_INDEX_ERRORS: Record<string, () => ApiError> = {
  workflows_one_ba_per_subject_record: () =>
    ruleViolation(
      "Workflow",
      "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT",
      "Subject Record already has a BUSINESS_APPLICATION workflow",
    ),
  workflows_unique_email_claim: () =>
    configViolation(
      "Workflow",
      "DUPLICATE_EMAIL",
      "The applying user's email is already used by another BUSINESS_APPLICATION workflow of this account",
    ),
};
