import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { Strict, WorkflowId } from "./schema.js";
import { WORKFLOW_HAS_ENDED, WORKFLOW_ID_ERRORS } from "./workflow-error-docs.js";

export const workflowDelete = defineMethod({
  name: "workflow.delete",
  summary:
    "Delete a workflow that has not started, of any type. Frees its subject record's business-application slot and its applying user's email.",
  auth: true,
  write: true,
  request: Strict({ workflow_id: WorkflowId }),
  response: Strict({}),
  errors: [
    ...WORKFLOW_ID_ERRORS,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Workflow",
      sub_code: "WORKFLOW_ALREADY_STARTED",
      when: "The workflow is STARTED",
    },
    WORKFLOW_HAS_ENDED,
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    await context.write("deleteWorkflow", { ...callerScope(context), workflowId: body.workflow_id, now });
    return {};
  },
});
