/** The event row a workflow transition must write, asserted whole. */
import assert from "node:assert/strict";
import type { EventRecord } from "../../src/domain/records.js";
import { ISO_MS, type WorkflowObject } from "./workflows.js";

const EVENT_ID = /^wh_[0-9A-Za-z]{21,22}$/;

export function expectedEvent(
  event: EventRecord | undefined,
  eventType: EventRecord["event_type"],
  workflow: Pick<WorkflowObject, "workflow_id" | "account_id" | "subject_record_id" | "type">,
  actor: { actor_type: "API_KEY" | "SYSTEM"; actor_id: string },
  at: string,
): void {
  assert.ok(event, `expected a ${eventType} event`);
  assert.match(event.id, EVENT_ID);
  assert.match(event.created_at, ISO_MS);
  assert.deepEqual(event, {
    id: event.id,
    event_type: eventType,
    account_id: workflow.account_id,
    subject_record_id: workflow.subject_record_id,
    workflow_id: workflow.workflow_id,
    workflow_type: workflow.type,
    ...actor,
    created_at: at,
    payload: null,
  });
}
