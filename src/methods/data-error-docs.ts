/** Error documentation shared by the methods on subject-record data (data.md). */
import type { DocumentedError } from "./define.js";

/** The ENDED guard of data.md §3.3, on every write of business.*, person.*, bankAccount.*, location.*. */
export const DATA_FROZEN: DocumentedError = {
  code: "SYSTEM_RULE_VIOLATION",
  entity_type: "Workflow",
  sub_code: "WORKFLOW_ENDED",
  when: "The subject record's business application has ENDED: its data can no longer change",
};

export const BAD_FIELDS: DocumentedError = {
  code: "BAD_REQUEST",
  when: "Missing, malformed or unknown fields, or a value outside its format",
};

export function notVisible(what: string): DocumentedError {
  return { code: "ENTITY_NOT_FOUND", when: `${what} does not exist or is not visible` };
}
