/** The events a change writes, in the same transaction as the change. */
import type { EntityEventType, EntityType } from "./data-records.js";
import { newId } from "./ids.js";
import type { CredentialRecord, EventRecord, EventType, SubjectRecord, Workflow } from "./records.js";

/** Who made a change: the credential that signed the request, or the system itself. */
export type Actor = Pick<CredentialRecord, "name" | "api_key"> | "SYSTEM";

/** The event a workflow change writes, attributed to its actor. */
export function workflowEvent(
  eventType: EventType,
  workflow: Workflow,
  actor: Actor,
  at: string,
): EventRecord {
  return {
    id: newId("event"),
    event_type: eventType,
    account_id: workflow.account_id,
    subject_record_id: workflow.subject_record_id,
    workflow_id: workflow.id,
    workflow_type: workflow.type,
    actor_type: actor === "SYSTEM" ? "SYSTEM" : "API_KEY",
    actor_id: actorId(actor),
    created_at: at,
    payload: null,
  };
}

/**
 * What an entity event names (data.md §13), its payload: the entity or association written, and
 * what its kind carries besides. Names only, never a field's value.
 */
export interface EntityEventPayload {
  entity_type: EntityType;
  entity_id: string;
  /** Association events: the two IDs linked, in the order of the association's ID fields. */
  linked_entity_ids?: string[];
  /** `*_UPDATED` events: the top-level fields the wrapper held, in byte order (updates.ts). */
  fields?: string[];
}

/** The event a write to a subject record's data writes, attributed to its actor. */
export function entityEvent(
  eventType: EntityEventType,
  record: Pick<SubjectRecord, "id" | "account_id">,
  payload: EntityEventPayload,
  actor: Actor,
  at: string,
): EventRecord {
  return subjectRecordEvent(eventType, record, { ...payload }, actor, at);
}

/** An event of the subject record that names no workflow (entity events, SUBJECT_RECORD_DELETED). */
export function subjectRecordEvent(
  eventType: EventType,
  record: Pick<SubjectRecord, "id" | "account_id">,
  payload: EventRecord["payload"],
  actor: Actor,
  at: string,
): EventRecord {
  return {
    id: newId("event"),
    event_type: eventType,
    account_id: record.account_id,
    subject_record_id: record.id,
    workflow_id: null,
    workflow_type: null,
    actor_type: actor === "SYSTEM" ? "SYSTEM" : "API_KEY",
    actor_id: actorId(actor),
    created_at: at,
    payload,
  };
}

/** The actor as an event's `user_context.user_id` names it: the credential's name, else its API key. */
export function actorId(actor: Actor): string {
  return actor === "SYSTEM" ? "SYSTEM" : (actor.name ?? actor.api_key);
}

/** Just who a credential is, for the events it causes. */
export function actorOf(credential: Pick<CredentialRecord, "name" | "api_key">): Actor {
  return { name: credential.name, api_key: credential.api_key };
}
