/**
 * What every write to subject-record data does before its own rules (data.md §3.3, §3.4): find
 * what the request names (ENTITY_NOT_FOUND on its field, check step 3), lock its subject record,
 * and refuse with WORKFLOW_ENDED once the record's business application has ended (step 6). Under
 * the lock the entity is read again: on PostgreSQL a write that committed while this one waited
 * for the lock (an update, a delete) is then seen, so nothing is lost or resurrected.
 */
import { notFound } from "../errors.js";
import type { DomainStore } from "./domain-store.js";
import type { Actor } from "./events.js";
import { visibleSubjectRecord } from "./lookups.js";
import type { SubjectRecord } from "./records.js";
import type { VisibilityScope } from "./visibility.js";
import { workflowEnded } from "./workflow-rules.js";

/** Locks the subject record and applies the ENDED guard; undefined when the record is gone. */
async function lockForDataWrite(
  tx: DomainStore,
  subjectRecordId: string,
): Promise<SubjectRecord | undefined> {
  const record = await tx.lockSubjectRecord(subjectRecordId);
  if (record && (await tx.businessApplicationState(record.id)) === "ENDED") throw workflowEnded();
  return record;
}

/** The subject record a create names in `field`: visible, locked and not frozen. */
export async function subjectRecordForDataWrite(
  tx: DomainStore,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<SubjectRecord> {
  const record = await visibleSubjectRecord(tx, scope, id, field);
  // Deleted between the lookup and the lock: as if it had never been found.
  if (!(await lockForDataWrite(tx, record.id))) throw notFound("Subject Record", field);
  return record;
}

/**
 * The entity a write names, its subject record locked and not frozen, and the entity read again
 * under the lock. `find` is the entity's visible lookup (lookups.ts): it throws ENTITY_NOT_FOUND on
 * the request's field, also when the entity was deleted while this write waited for the lock.
 */
export async function entityForDataWrite<T extends { subject_record_id: string }>(
  tx: DomainStore,
  find: () => Promise<T>,
): Promise<{ entity: T; record: SubjectRecord }> {
  const found = await find();
  const record = await lockForDataWrite(tx, found.subject_record_id);
  const entity = await find();
  // An entity references its subject record, so one that is still there has its record too.
  if (!record) throw new Error(`subject record ${found.subject_record_id} of entity is gone`);
  return { entity, record };
}

/** Who writes, and when: what every data write procedure's input carries besides its own. */
export interface DataWriteContext {
  scope: VisibilityScope;
  actor: Actor;
  now: string;
}
