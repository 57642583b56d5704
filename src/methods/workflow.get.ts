import { Type } from "@sinclair/typebox";
import { assertVisibleWorkflow } from "./access.js";
import { defineMethod } from "./define.js";
import { presentWorkflow, WorkflowObject } from "./objects.js";
import { Strict, WorkflowId } from "./schema.js";

export const workflowGet = defineMethod({
  name: "workflow.get",
  summary: "Get a workflow.",
  auth: true,
  write: false,
  request: Strict({ workflow_id: WorkflowId }),
  response: Type.Object({ workflow: WorkflowObject }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed workflow_id" },
    { code: "ENTITY_NOT_FOUND", when: "The workflow does not exist or is not visible" },
  ],
  async handler(context, body) {
    return {
      workflow: presentWorkflow(await assertVisibleWorkflow(context, body.workflow_id, "workflow_id")),
    };
  },
});
