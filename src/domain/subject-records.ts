/** subjectRecord.create and subjectRecord.delete as write procedures. */
import { entityLinked, notFound } from "../errors.js";
import type { DataWriteContext } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { subjectRecordEvent } from "./events.js";
import { visibleAccount, visibleSubjectRecord } from "./lookups.js";
import type { SubjectRecord } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

export async function createSubjectRecord(
  tx: DomainStore,
  input: { scope: VisibilityScope; record: SubjectRecord },
): Promise<SubjectRecord> {
  await visibleAccount(tx, input.scope, input.record.account_id, "account_id");
  await tx.insertSubjectRecord(input.record);
  return input.record;
}

/**
 * subjectRecord.delete (data.md §12.2): under the record's lock, refused while it has any workflow;
 * otherwise the record and everything in it go, with one SUBJECT_RECORD_DELETED event. Not subject
 * to the ENDED guard: a record whose application ended still has that workflow, so it is refused.
 * A workflow.create that commits first is seen under the lock (ENTITY_LINKED); one that comes after
 * finds the record gone (ENTITY_NOT_FOUND, also from the workflows' foreign key on PostgreSQL).
 */
export async function deleteSubjectRecord(
  tx: DomainStore,
  input: DataWriteContext & { subjectRecordId: string },
): Promise<void> {
  const found = await visibleSubjectRecord(tx, input.scope, input.subjectRecordId, "subject_record_id");
  const record = await tx.lockSubjectRecord(found.id);
  // Deleted between the lookup and the lock: as if it had never been found.
  if (!record) throw notFound("Subject Record", "subject_record_id");
  if (await tx.subjectRecordHasWorkflows(record.id))
    throw entityLinked("Subject Record", "The Subject Record still has workflows", ["workflow.delete"]);
  await tx.deleteSubjectRecord(record.id);
  // §13: only version, subject_record_id and user_context, which every event has: no payload.
  await tx.insertEvent(subjectRecordEvent("SUBJECT_RECORD_DELETED", record, null, input.actor, input.now));
}
