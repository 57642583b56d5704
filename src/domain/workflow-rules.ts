/**
 * Workflow rules that need no I/O: type compatibility and state guards. The completion
 * requirements, the started check among them, are completion-requirements.ts.
 */
import { ruleViolation } from "../errors.js";
import type { SubjectRecordType, Workflow, WorkflowType } from "./records.js";

/** Which subject-record type each workflow type runs on: all three need BUSINESS (PERSON is for later). */
export function requiredSubjectRecordType(_type: WorkflowType): SubjectRecordType {
  return "BUSINESS";
}

export function assertBusinessApplication(workflow: Workflow, method: string): void {
  if (workflow.type !== "BUSINESS_APPLICATION") {
    throw ruleViolation(
      "Workflow",
      "INVALID_WORKFLOW_TYPE",
      `${method} is not supported for ${workflow.type} workflows`,
    );
  }
}

export function workflowEnded(): Error {
  return ruleViolation("Workflow", "WORKFLOW_ENDED", "The workflow has ended and can no longer change");
}

export function assertNotEnded(workflow: Workflow): void {
  if (workflow.state === "ENDED") throw workflowEnded();
}

/** workflow.update edits only what has not started yet. */
export function assertUpdatable(workflow: Workflow): void {
  assertNotEnded(workflow);
  if (workflow.state === "STARTED") {
    throw ruleViolation(
      "Workflow",
      "WORKFLOW_ALREADY_STARTED",
      "The workflow has started; its details can be updated only while it is CREATED",
    );
  }
}

/** workflow.start moves CREATED to STARTED, and nothing else. */
export function assertStartable(workflow: Workflow): void {
  assertNotEnded(workflow);
  if (workflow.state === "STARTED") {
    throw ruleViolation("Workflow", "WORKFLOW_STARTED", "The workflow is already STARTED");
  }
}

/** workflow.delete removes only a workflow that has not started (data.md §12.3). */
export function assertDeletable(workflow: Workflow): void {
  assertNotEnded(workflow);
  if (workflow.state === "STARTED") {
    throw ruleViolation(
      "Workflow",
      "WORKFLOW_ALREADY_STARTED",
      "The workflow has started; only a CREATED workflow can be deleted",
    );
  }
}
