/**
 * The database indexes that enforce business rules, and the domain error each one means. Both
 * adapters name a refused write by its index, and this table turns it into the API's error.
 */
import type { ApiError } from "../errors.js";
import { duplicateEmailError, subjectRecordLimitError } from "./create-workflow.js";

export const RULE_INDEX_ERRORS: Record<string, () => ApiError> = {
  workflows_one_ba_per_subject_record: subjectRecordLimitError,
  workflows_unique_email_claim: duplicateEmailError,
};
