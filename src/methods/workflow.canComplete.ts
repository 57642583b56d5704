import { Type } from "@sinclair/typebox";
import { utcDate } from "../domain/calendar.js";
import { unmetRequirements } from "../domain/record-snapshot.js";
import { assertBusinessApplication, assertNotEnded } from "../domain/workflow-rules.js";
import { assertVisibleWorkflow } from "./access.js";
import { defineMethod } from "./define.js";
import { MissingRequirementObject } from "./objects.js";
import { Strict, WorkflowId } from "./schema.js";
import { NOT_AN_APPLICATION, WORKFLOW_HAS_ENDED, WORKFLOW_ID_ERRORS } from "./workflow-error-docs.js";

export const workflowCanComplete = defineMethod({
  name: "workflow.canComplete",
  summary: "Whether a business application can complete now, and what it still lacks.",
  auth: true,
  write: false,
  request: Strict({ workflow_id: WorkflowId }),
  response: Type.Object({
    can_complete: Type.Boolean(),
    missing_requirements: Type.Optional(Type.Array(MissingRequirementObject)),
  }),
  errors: [...WORKFLOW_ID_ERRORS, NOT_AN_APPLICATION, WORKFLOW_HAS_ENDED],
  async handler(context, body) {
    const workflow = await assertVisibleWorkflow(context, body.workflow_id, "workflow_id");
    assertBusinessApplication(workflow, "workflow.canComplete");
    assertNotEnded(workflow);
    // On the store, without a lock: the record's data is read as one snapshot (data.md §3.4).
    const missing = await unmetRequirements(context.store, workflow, utcDate(context.clock.now()));
    return missing.length === 0
      ? { can_complete: true }
      : { can_complete: false, missing_requirements: missing };
  },
});
