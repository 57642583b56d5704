/**
 * Sensitive data (data.md §2.6): who may unmask it, how a response shows it, and the audit of a
 * response that revealed it — one SENSITIVE_DATA_ACCESSED event (§13), written by the write
 * procedure `auditSensitiveRead` before the response is sent.
 *
 * What a response revealed is found by walking the response itself (`revealedIn`), not by
 * trusting each presenter to report it: an object is an entity when it holds the entity's ID key
 * and one of its sensitive fields, so every method that takes `show_sensitive_data` is audited the
 * same way with no code of its own. An object the walk cannot place fails the request (a 5xx that
 * reveals nothing) rather than reveal something unaudited.
 */
import type { DomainStore } from "./domain-store.js";
import { type Actor, actorId } from "./events.js";
import { newId } from "./ids.js";
import { visibleSubjectRecord } from "./lookups.js";
import { maskSensitive } from "./masking.js";
import type { CredentialRecord, EventRecord } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

/** Whether a credential may pass `show_sensitive_data: true`: never a read-only one. */
export function mayUnmask(credential: Pick<CredentialRecord, "read_only" | "can_unmask">): boolean {
  return credential.can_unmask && !credential.read_only;
}

/** A sensitive value as a response shows it: as stored when unmasking, else masked. */
export function revealOrMask(value: string | null, show: boolean): string | null {
  return show ? value : maskSensitive(value);
}

/** An entity that has sensitive fields: its `entity_type`, the key of its ID, those fields. */
export interface SensitiveEntityKind {
  entity_type: string;
  id_key: string;
  fields: readonly string[];
}

/** Every sensitive field there is (data.md §2.6), by the entity that holds it. */
export const SENSITIVE_ENTITY_KINDS: readonly SensitiveEntityKind[] = [
  { entity_type: "Business", id_key: "business_id", fields: ["tax_id"] },
  { entity_type: "Person", id_key: "person_id", fields: ["tax_id"] },
  { entity_type: "Bank Account", id_key: "bank_account_id", fields: ["bank_account_number"] },
];

const SENSITIVE_FIELDS = new Set(SENSITIVE_ENTITY_KINDS.flatMap((kind) => kind.fields));

/** One entity of the event's `entities`: the sensitive fields whose set values it revealed. */
export interface RevealedEntity {
  entity_type: string;
  entity_id: string;
  fields: string[];
}

/** What one response revealed: its subject record, and each entity once, in order of appearance. */
export interface Revealed {
  subject_record_id: string;
  entities: RevealedEntity[];
}

type JsonObject = Record<string, unknown>;

/** Objects in the order they open in the JSON text: each before what it holds. */
function eachObject(value: unknown, visit: (object: JsonObject) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) eachObject(item, visit);
  } else if (value !== null && typeof value === "object") {
    visit(value as JsonObject);
    for (const child of Object.values(value)) eachObject(child, visit);
  }
}

/** Which entity an object holding sensitive fields is; anything unclear is a bug, never a guess. */
function kindOf(object: JsonObject, sensitiveKeys: string[]): SensitiveEntityKind {
  const kinds = SENSITIVE_ENTITY_KINDS.filter(
    (kind) => kind.id_key in object && sensitiveKeys.every((key) => kind.fields.includes(key)),
  );
  const [kind] = kinds;
  if (kinds.length !== 1 || !kind) {
    throw new Error(
      `a response object with ${sensitiveKeys.join(", ")} is ${kinds.length === 0 ? "no known entity" : "ambiguous"}: cannot audit it`,
    );
  }
  return kind;
}

/**
 * The entities whose set sensitive values a response holds, or null when it holds none. Call it
 * only on a response built with `show_sensitive_data: true`: it does not tell a masked value from
 * a clear one. Throws on an object it cannot place, or entities of two subject records.
 */
export function revealedIn(response: unknown): Revealed | null {
  const entities = new Map<string, RevealedEntity>();
  let subjectRecordId: string | undefined;
  eachObject(response, (object) => {
    const sensitiveKeys = Object.keys(object).filter((key) => SENSITIVE_FIELDS.has(key));
    if (sensitiveKeys.length === 0) return;
    const kind = kindOf(object, sensitiveKeys);
    const fields = kind.fields.filter((field) => object[field] !== null && object[field] !== undefined);
    if (fields.length === 0) return;
    const id = object[kind.id_key];
    const recordId = object.subject_record_id;
    if (typeof id !== "string" || typeof recordId !== "string")
      throw new Error(`a revealing ${kind.entity_type} object lacks its ID or subject_record_id`);
    if (subjectRecordId !== undefined && recordId !== subjectRecordId)
      throw new Error("one response revealed entities of two subject records");
    subjectRecordId = recordId;
    const key = `${kind.entity_type}\u0000${id}`;
    const seen = entities.get(key);
    if (!seen) entities.set(key, { entity_type: kind.entity_type, entity_id: id, fields });
    else for (const field of fields) if (!seen.fields.includes(field)) seen.fields.push(field);
  });
  return subjectRecordId === undefined
    ? null
    : { subject_record_id: subjectRecordId, entities: [...entities.values()] };
}

/** The unit of work of a read that revealed sensitive values: plain data, as every unit is. */
export interface SensitiveReadAudit {
  scope: VisibilityScope;
  actor: Actor;
  /** The API method that answered, e.g. `business.get`. */
  method: string;
  revealed: Revealed;
  at: string;
}

/**
 * Writes the read's SENSITIVE_DATA_ACCESSED event. Its account is the subject record's, looked up
 * with the caller's scope: a record gone (or out of sight) since the read answers ENTITY_NOT_FOUND,
 * and the response, never sent, reveals nothing.
 */
export async function auditSensitiveRead(tx: DomainStore, input: SensitiveReadAudit): Promise<EventRecord> {
  const record = await visibleSubjectRecord(
    tx,
    input.scope,
    input.revealed.subject_record_id,
    "subject_record_id",
  );
  const event: EventRecord = {
    id: newId("event"),
    event_type: "SENSITIVE_DATA_ACCESSED",
    account_id: record.account_id,
    subject_record_id: record.id,
    workflow_id: null,
    workflow_type: null,
    actor_type: input.actor === "SYSTEM" ? "SYSTEM" : "API_KEY",
    actor_id: actorId(input.actor),
    created_at: input.at,
    payload: {
      method: input.method,
      entities: input.revealed.entities.map((entity) => ({ ...entity, fields: [...entity.fields] })),
    },
  };
  await tx.insertEvent(event);
  return event;
}
