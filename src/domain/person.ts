/** person.create, person.update and person.delete as write procedures (data.md §6). */
import { entityLinked } from "../errors.js";
import { isAdult, utcDate } from "./calendar.js";
import { controlProngAgeRequirement, maxPersonLimit } from "./data-errors.js";
import type { Person, PersonFields } from "./data-records.js";
import { type DataWriteContext, entityForDataWrite, subjectRecordForDataWrite } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { entityEvent } from "./events.js";
import { visiblePerson } from "./lookups.js";
import type { SubjectRecordType } from "./records.js";
import { applyUpdate, type UpdateWrapper } from "./updates.js";

/** How many persons a subject record may hold (data.md §3.2). */
export const MAX_PERSONS: Record<SubjectRecordType, number> = { BUSINESS: 100, PERSON: 1 };

/** Checks 1 → 3 → 6 → 9: the person limit, counted under the record's lock. */
export async function createPerson(
  tx: DomainStore,
  input: DataWriteContext & { person: Person },
): Promise<Person> {
  const { person } = input;
  const record = await subjectRecordForDataWrite(
    tx,
    input.scope,
    person.subject_record_id,
    "subject_record_id",
  );
  if ((await tx.countPersons(record.id)) >= MAX_PERSONS[record.type]) throw maxPersonLimit();
  await tx.insertPerson(person);
  const subject = { entity_type: "Person" as const, entity_id: person.id };
  await tx.insertEvent(entityEvent("PERSON_CREATED", record, subject, input.actor, input.now));
  return person;
}

/**
 * Checks 1 → 3 → 6 → 9: a date of birth given (not null) must be an adult's when the person is a
 * control-prong owner of any business (data.md §5.2); an absent or empty wrapper writes nothing.
 */
export async function updatePerson(
  tx: DomainStore,
  input: DataWriteContext & { personId: string; person: UpdateWrapper<PersonFields> | undefined },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visiblePerson(tx, input.scope, input.personId, "person_id"),
  );
  const dateOfBirth = input.person?.date_of_birth;
  if (typeof dateOfBirth === "string" && !isAdult(dateOfBirth, utcDate(new Date(input.now)))) {
    const ownerships = await tx.ownershipsOfPerson(entity.id);
    if (ownerships.some((o) => o.ownership_type === "CONTROL_PRONG")) throw controlProngAgeRequirement();
  }
  const change = applyUpdate(entity, input.person, input.now);
  if (!change) return;
  await tx.updatePerson(change.updated);
  const subject = { entity_type: "Person" as const, entity_id: entity.id, fields: change.fields };
  await tx.insertEvent(entityEvent("PERSON_UPDATED", record, subject, input.actor, input.now));
}

/** Checks 1 → 3 → 6 → 8; the person's issued identifiers go with it, without events of their own. */
export async function deletePerson(
  tx: DomainStore,
  input: DataWriteContext & { personId: string },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visiblePerson(tx, input.scope, input.personId, "person_id"),
  );
  if ((await tx.ownershipsOfPerson(entity.id)).length > 0)
    throw entityLinked("Person", "The person is an owner of a business.", ["business.removeOwner"]);
  await tx.deletePerson(entity.id);
  const subject = { entity_type: "Person" as const, entity_id: entity.id };
  await tx.insertEvent(entityEvent("PERSON_DELETED", record, subject, input.actor, input.now));
}
