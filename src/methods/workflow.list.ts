import { Type } from "@sinclair/typebox";
import { assertVisibleSubjectRecord } from "./access.js";
import { defineMethod } from "./define.js";
import { presentWorkflow, WorkflowObject } from "./objects.js";
import { listCursors } from "./pagination.js";
import { PageParams, PageResult, Strict, SubjectRecordId } from "./schema.js";

export const workflowList = defineMethod({
  name: "workflow.list",
  summary: "List a subject record's workflows, oldest first, with cursor pagination.",
  auth: true,
  write: false,
  request: Strict({ subject_record_id: SubjectRecordId, ...PageParams }),
  response: Type.Object({ workflows: Type.Array(WorkflowObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed subject_record_id, limit outside 1–1000, or a foreign cursor",
    },
    { code: "ENTITY_NOT_FOUND", when: "The subject record does not exist or is not visible" },
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (BAD_REQUEST), reported before the lookup (ENTITY_NOT_FOUND).
    const cursors = listCursors(context.cursorKey, {
      method: "workflow.list",
      filter: { subject_record_id: body.subject_record_id },
    });
    const position = cursors.pageRequest(body);
    await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    const page = await context.store.listWorkflows(body.subject_record_id, position);
    return { workflows: page.items.map(presentWorkflow), ...cursors.pageResult(page) };
  },
});
