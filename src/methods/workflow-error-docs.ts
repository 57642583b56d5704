/** Error documentation shared by the methods that act on one existing workflow. */
import type { DocumentedError } from "./define.js";

export const WORKFLOW_ID_ERRORS: DocumentedError[] = [
  { code: "BAD_REQUEST", when: "Missing or malformed workflow_id" },
  { code: "ENTITY_NOT_FOUND", when: "The workflow does not exist or is not visible" },
];

export const NOT_AN_APPLICATION: DocumentedError = {
  code: "SYSTEM_RULE_VIOLATION",
  entity_type: "Workflow",
  sub_code: "INVALID_WORKFLOW_TYPE",
  when: "The workflow is not a BUSINESS_APPLICATION",
};

export const WORKFLOW_HAS_ENDED: DocumentedError = {
  code: "SYSTEM_RULE_VIOLATION",
  entity_type: "Workflow",
  sub_code: "WORKFLOW_ENDED",
  when: "The workflow has ENDED",
};
