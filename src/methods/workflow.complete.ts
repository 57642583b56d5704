import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { Strict, WorkflowId } from "./schema.js";
import { NOT_AN_APPLICATION, WORKFLOW_HAS_ENDED, WORKFLOW_ID_ERRORS } from "./workflow-error-docs.js";

export const workflowComplete = defineMethod({
  name: "workflow.complete",
  summary:
    "Complete a STARTED business application: it ENDS, and a BUSINESS_UNDERWRITING workflow starts on the same subject record.",
  auth: true,
  write: true,
  request: Strict({ workflow_id: WorkflowId }),
  response: Strict({}),
  errors: [
    ...WORKFLOW_ID_ERRORS,
    NOT_AN_APPLICATION,
    WORKFLOW_HAS_ENDED,
    {
      code: "MISSING_REQUIREMENTS",
      when: "The workflow is not STARTED or lacks what the account's completion requirements ask for (data.md §14); carries missing_requirements",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    await context.write("completeWorkflow", { ...callerScope(context), workflowId: body.workflow_id, now });
    return {};
  },
});
