/** The events a change writes, in the same transaction as the change. */
import type { EntityEventType, EntityType } from "./data-records.js";
import { newId } from "./ids.js";
import type {
  CredentialRecord,
  EntityEventRecord,
  EventRecord,
  SubjectRecord,
  Workflow,
  WorkflowEventRecord,
  WorkflowEventType,
} from "./records.js";

/** Who made a change: the credential that signed the request, or the system itself. */
export type Actor = Pick<CredentialRecord, "name" | "api_key"> | "SYSTEM";

function attributedTo(actor: Actor) {
  return {
    actor_type: actor === "SYSTEM" ? ("SYSTEM" as const) : ("API_KEY" as const),
    actor_id: actor === "SYSTEM" ? "SYSTEM" : (actor.name ?? actor.api_key),
  };
}

/** The event a workflow change writes, attributed to its actor. */
export function workflowEvent(
  eventType: WorkflowEventType,
  workflow: Workflow,
  actor: Actor,
  at: string,
): WorkflowEventRecord {
  return {
    id: newId("event"),
    event_type: eventType,
    account_id: workflow.account_id,
    subject_record_id: workflow.subject_record_id,
    workflow_id: workflow.id,
    workflow_type: workflow.type,
    ...attributedTo(actor),
    created_at: at,
  };
}

/** What an entity event names (data.md §13): the entity or association written, and what else its kind carries. */
export interface EventSubject {
  entity_type: EntityType;
  entity_id: string;
  /** Association events: the two IDs linked, in the order of the association's ID fields. */
  linked_entity_ids?: string[];
  /** `*_UPDATED` events: the top-level fields the wrapper held, in byte order (`updatedFields`). */
  fields?: string[];
}

/** The event a write to a subject record's data writes, attributed to its actor. */
export function entityEvent(
  eventType: EntityEventType,
  record: Pick<SubjectRecord, "id" | "account_id">,
  subject: EventSubject,
  actor: Actor,
  at: string,
): EntityEventRecord {
  return {
    id: newId("event"),
    event_type: eventType,
    account_id: record.account_id,
    subject_record_id: record.id,
    ...subject,
    ...attributedTo(actor),
    created_at: at,
  };
}

export function isWorkflowEvent(event: EventRecord): event is WorkflowEventRecord {
  return "workflow_id" in event;
}

/** Just who a credential is, for the events it causes. */
export function actorOf(credential: Pick<CredentialRecord, "name" | "api_key">): Actor {
  return { name: credential.name, api_key: credential.api_key };
}
