import { assertStartable } from "../domain/workflow-rules.js";
import { assertVisibleWorkflow } from "./access.js";
import { defineMethod } from "./define.js";
import { Strict, WorkflowId } from "./schema.js";
import { WORKFLOW_HAS_ENDED, WORKFLOW_ID_ERRORS } from "./workflow-error-docs.js";
import { workflowEvent } from "./workflow-fields.js";

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
    const workflow = await assertVisibleWorkflow(context, body.workflow_id, "workflow_id");
    assertStartable(workflow);
    const now = context.clock.now().toISOString();
    await context.store.transaction(async (tx) => {
      // Compare-and-set: of simultaneous starts exactly one moves the row; the others see why not.
      if (
        !(await tx.transitionWorkflow(workflow.id, "CREATED", "STARTED", {
          started_at: now,
          updated_at: now,
        }))
      ) {
        const current = await tx.getWorkflow(workflow.id);
        if (current) assertStartable(current);
        throw new Error(`workflow ${workflow.id} could not be started from state ${current?.state}`);
      }
      const started = { ...workflow, state: "STARTED" as const, started_at: now, updated_at: now };
      await tx.insertEvent(workflowEvent("WORKFLOW_STARTED", started, context.credential ?? "SYSTEM", now));
    });
    return {};
  },
});
