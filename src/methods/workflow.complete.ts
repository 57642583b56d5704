import { newId } from "../domain/ids.js";
import type { Workflow } from "../domain/records.js";
import {
  assertBusinessApplication,
  assertNotEnded,
  missingRequirements,
  workflowEnded,
} from "../domain/workflow-rules.js";
import { ApiError } from "../errors.js";
import { assertVisibleWorkflow } from "./access.js";
import { defineMethod } from "./define.js";
import { Strict, WorkflowId } from "./schema.js";
import { NOT_AN_APPLICATION, WORKFLOW_HAS_ENDED, WORKFLOW_ID_ERRORS } from "./workflow-error-docs.js";
import { workflowEvent } from "./workflow-fields.js";

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
      when: "The workflow lacks what it needs (for now: it must be STARTED); carries missing_requirements",
    },
  ],
  async handler(context, body) {
    const workflow = await assertVisibleWorkflow(context, body.workflow_id, "workflow_id");
    assertBusinessApplication(workflow, "workflow.complete");
    assertNotEnded(workflow);
    const missing = missingRequirements(workflow);
    if (missing.length > 0) {
      throw new ApiError("MISSING_REQUIREMENTS", {
        message: "The workflow cannot be completed until its requirements are met",
        missing_requirements: missing,
      });
    }
    const now = context.clock.now().toISOString();
    const underwriting: Workflow = {
      id: newId("workflow"),
      account_id: workflow.account_id,
      subject_record_id: workflow.subject_record_id,
      type: "BUSINESS_UNDERWRITING",
      state: "STARTED",
      details: null,
      started_at: now,
      ended_at: null,
      created_at: now,
      updated_at: now,
    };
    await context.store.transaction(async (tx) => {
      // Compare-and-set: a simultaneous second completion finds the workflow ENDED.
      if (
        !(await tx.transitionWorkflow(workflow.id, "STARTED", "ENDED", { ended_at: now, updated_at: now }))
      ) {
        throw workflowEnded();
      }
      const ended = { ...workflow, state: "ENDED" as const, ended_at: now, updated_at: now };
      await tx.insertEvent(workflowEvent("WORKFLOW_COMPLETED", ended, context.credential ?? "SYSTEM", now));
      await tx.insertWorkflow({ workflow: underwriting, emailClaim: null });
      await tx.insertEvent(workflowEvent("WORKFLOW_STARTED", underwriting, "SYSTEM", now));
    });
    return {};
  },
});
