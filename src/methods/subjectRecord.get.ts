import { Type } from "@sinclair/typebox";
import { assertVisibleSubjectRecord } from "./access.js";
import { defineMethod } from "./define.js";
import { presentSubjectRecord, presentWorkflow, SubjectRecordObject, WorkflowObject } from "./objects.js";
import { ShowSensitiveData, Strict, SubjectRecordId } from "./schema.js";

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
    show_sensitive_data: ShowSensitiveData,
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
    // Step 2 (data.md §2.1). The verbose entities (§12.1) are to be presented with its answer.
    context.showSensitiveData(body.show_sensitive_data);
    const record = await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    if (!body.verbose) return { subject_record: presentSubjectRecord(record) };
    const workflows = await context.store.listWorkflows(record.id, { limit: VERBOSE_WORKFLOW_LIMIT });
    return {
      subject_record: { ...presentSubjectRecord(record), workflows: workflows.items.map(presentWorkflow) },
    };
  },
});
