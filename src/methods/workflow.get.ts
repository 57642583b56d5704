import { Type } from "@sinclair/typebox";
import { assertVisibleWorkflow } from "./access.js";
import { defineMethod } from "./define.js";
import { presentWorkflow, WorkflowObject } from "./objects.js";
import { Strict, WorkflowId } from "./schema.js";
import { WORKFLOW_ID_ERRORS } from "./workflow-error-docs.js";

export const workflowGet = defineMethod({
  name: "workflow.get",
  summary: "Get a workflow.",
  auth: true,
  write: false,
  request: Strict({ workflow_id: WorkflowId }),
  response: Type.Object({ workflow: WorkflowObject }),
  errors: [...WORKFLOW_ID_ERRORS],
  async handler(context, body) {
    return {
      workflow: presentWorkflow(await assertVisibleWorkflow(context, body.workflow_id, "workflow_id")),
    };
  },
});
