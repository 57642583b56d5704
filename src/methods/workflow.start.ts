import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { Strict, WorkflowId } from "./schema.js";
import { WORKFLOW_HAS_ENDED, WORKFLOW_ID_ERRORS } from "./workflow-error-docs.js";

export const workflowStart = defineMethod({
  name: "workflow.start",
  summary: "Move a workflow from CREATED to STARTED.",
  auth: true,
  write: true,
  request: Strict({ workflow_id: WorkflowId }),
  response: Strict({}),
  errors: [
    ...WORKFLOW_ID_ERRORS,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Workflow",
      sub_code: "WORKFLOW_STARTED",
      when: "Already STARTED",
    },
    WORKFLOW_HAS_ENDED,
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    await context.write("startWorkflow", { ...callerScope(context), workflowId: body.workflow_id, now });
    return {};
  },
});
