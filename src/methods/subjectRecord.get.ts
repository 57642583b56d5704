import { Type } from "@sinclair/typebox";
import { assertVisibleSubjectRecord } from "./access.js";
import { defineMethod } from "./define.js";
import { presentSubjectRecord, presentWorkflow, SubjectRecordObject, WorkflowObject } from "./objects.js";
import { Strict, SubjectRecordId } from "./schema.js";

/** Enough to return every workflow a subject record can hold in one response. */
const VERBOSE_WORKFLOW_LIMIT = 1000;

export const subjectRecordGet = defineMethod({
  name: "subjectRecord.get",
  summary: "Get a subject record; with verbose, also its workflows.",
  auth: true,
  write: false,
  request: Strict({
    subject_record_id: SubjectRecordId,
    verbose: Type.Optional(Type.Boolean({ description: "Include the record's workflows (default false)" })),
    show_sensitive_data: Type.Optional(
      Type.Boolean({ description: "Unmask sensitive fields (default false; none exist yet)" }),
    ),
  }),
  response: Type.Object({
    subject_record: Type.Composite([
      SubjectRecordObject,
      Type.Object({ workflows: Type.Optional(Type.Array(WorkflowObject)) }),
    ]),
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed subject_record_id; invalid flags" },
    { code: "ENTITY_NOT_FOUND", when: "The subject record does not exist or is not visible" },
  ],
  async handler(context, body) {
    const record = await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    if (!body.verbose) return { subject_record: presentSubjectRecord(record) };
    const workflows = await context.store.listWorkflows(record.id, { limit: VERBOSE_WORKFLOW_LIMIT });
    return {
      subject_record: { ...presentSubjectRecord(record), workflows: workflows.items.map(presentWorkflow) },
    };
  },
});
