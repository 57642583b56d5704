import type { SubjectRecordType, WorkflowType } from "./records.js";

/** Which subject-record type each workflow type runs on: all three need BUSINESS (PERSON is for later). */
export function requiredSubjectRecordType(_type: WorkflowType): SubjectRecordType {
  return "BUSINESS";
}
