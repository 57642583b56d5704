/**
 * business.addOwner, business.updateOwner and business.removeOwner as write procedures (data.md
 * §5.2). The age rule and the ownership total are judged on the state the write would produce,
 * under the subject record's lock, so simultaneous writes cannot both pass them.
 */
import { type AccountDataSettings, accountDataSettings } from "./account-settings.js";
import { isAdult } from "./calendar.js";
import {
  controlProngAgeRequirement,
  crossSubjectRecordReference,
  duplicateOwnerAssociation,
  maxOwnerLimit,
  minimumOwnershipPercentage,
  ownershipPercentageExceeded,
} from "./data-errors.js";
import type { BusinessOwner, BusinessOwnerFields, Person } from "./data-records.js";
import { type DataWriteContext, entityForDataWrite } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { type EntityEventPayload, entityEvent } from "./events.js";
import { visibleBusiness, visibleBusinessOwner, visiblePerson } from "./lookups.js";
import { applyUpdate, type UpdateWrapper } from "./updates.js";

/** The default, and what `ownership_type: null` sets on update (data.md §5.2). */
export const DEFAULT_OWNERSHIP_TYPE = "OWNERSHIP_PRONG";

/**
 * Checks 1 → 3 (business_id, then person_id) → 6 → 7 → 9 DUPLICATE_OWNER_ASSOCIATION,
 * CONTROL_PRONG_AGE_REQUIREMENT, OWNERSHIP_PERCENTAGE_EXCEEDED → 10 MAX_OWNER_LIMIT,
 * MINIMUM_OWNERSHIP_PERCENTAGE. The handler gives `owner.ownership_type` its default.
 */
export async function addBusinessOwner(
  tx: DomainStore,
  input: DataWriteContext & { owner: BusinessOwner },
): Promise<BusinessOwner> {
  const { owner } = input;
  const { entity, record } = await entityForDataWrite(tx, async () => {
    const business = await visibleBusiness(tx, input.scope, owner.business_id, "business_id");
    const person = await visiblePerson(tx, input.scope, owner.person_id, "business_owner.person_id");
    return { business, person, subject_record_id: business.subject_record_id };
  });
  if (entity.person.subject_record_id !== entity.business.subject_record_id)
    throw crossSubjectRecordReference();
  const others = await tx.listBusinessOwners(owner.business_id);
  if (others.some((o) => o.person_id === owner.person_id)) throw duplicateOwnerAssociation();
  judgeSystemRules(owner, entity.person, others, input.now);
  const settings = await accountDataSettings(tx, record.account_id);
  if (others.length >= settings.max_owners_per_business) throw maxOwnerLimit();
  judgeMinimum(owner, settings);
  await tx.insertBusinessOwner(owner);
  await tx.insertEvent(
    entityEvent("BUSINESS_OWNER_ADDED", record, ownerSubject(owner), input.actor, input.now),
  );
  return owner;
}

/**
 * Checks 1 → 3 → 6 → 9 CONTROL_PRONG_AGE_REQUIREMENT, OWNERSHIP_PERCENTAGE_EXCEEDED → 10
 * MINIMUM_OWNERSHIP_PERCENTAGE, on the association as the update leaves it. An absent or empty
 * wrapper changes nothing: it stops after the ENDED guard and writes no event.
 */
export async function updateBusinessOwner(
  tx: DomainStore,
  input: DataWriteContext & { ownerId: string; owner: UpdateWrapper<BusinessOwnerFields> | undefined },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleBusinessOwner(tx, input.scope, input.ownerId, "business_owner_id"),
  );
  const { subject_record_id: _, ...stored } = entity;
  const wrapper =
    input.owner?.ownership_type === null
      ? { ...input.owner, ownership_type: DEFAULT_OWNERSHIP_TYPE }
      : input.owner;
  const change = applyUpdate<BusinessOwner, BusinessOwnerFields>(stored, wrapper, input.now);
  if (!change) return;
  const [person] = await tx.getPersons([stored.person_id]);
  const others = (await tx.listBusinessOwners(stored.business_id)).filter((o) => o.id !== stored.id);
  judgeSystemRules(change.updated, person, others, input.now);
  judgeMinimum(change.updated, await accountDataSettings(tx, record.account_id));
  await tx.updateBusinessOwner(change.updated);
  const subject = { ...ownerSubject(stored), fields: change.fields };
  await tx.insertEvent(entityEvent("BUSINESS_OWNER_UPDATED", record, subject, input.actor, input.now));
}

/** Checks 1 → 3 → 6. */
export async function removeBusinessOwner(
  tx: DomainStore,
  input: DataWriteContext & { ownerId: string },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleBusinessOwner(tx, input.scope, input.ownerId, "business_owner_id"),
  );
  await tx.deleteBusinessOwner(entity.id);
  await tx.insertEvent(
    entityEvent("BUSINESS_OWNER_REMOVED", record, ownerSubject(entity), input.actor, input.now),
  );
}

/**
 * Step 9 after the duplicate check, in §5.2's order: the age rule (a control-prong owner whose
 * person has a date of birth is adult today; no date of birth does not block), then the ownership
 * total of `owner` with the business's `others` (unset counts as 0).
 */
function judgeSystemRules(
  owner: BusinessOwnerFields,
  person: Pick<Person, "date_of_birth"> | undefined,
  others: readonly BusinessOwnerFields[],
  now: string,
): void {
  const dateOfBirth = person?.date_of_birth ?? null;
  if (
    owner.ownership_type === "CONTROL_PRONG" &&
    dateOfBirth !== null &&
    !isAdult(dateOfBirth, now.slice(0, 10))
  )
    throw controlProngAgeRequirement();
  const total = others.reduce(
    (sum, o) => sum + (o.ownership_percentage ?? 0),
    owner.ownership_percentage ?? 0,
  );
  if (total > 100) throw ownershipPercentageExceeded();
}

/** Step 10's minimum: an OWNERSHIP_PRONG owner needs the account's minimum percentage (unset is 0). */
function judgeMinimum(owner: BusinessOwnerFields, settings: AccountDataSettings): void {
  const minimum = settings.minimum_ownership_percentage;
  if (
    minimum !== null &&
    owner.ownership_type === "OWNERSHIP_PRONG" &&
    (owner.ownership_percentage ?? 0) < minimum
  )
    throw minimumOwnershipPercentage();
}

/** An owner event's payload: the association, and the business and person it links. */
function ownerSubject(owner: Pick<BusinessOwner, "id" | "business_id" | "person_id">): EntityEventPayload {
  return {
    entity_type: "Business Owner",
    entity_id: owner.id,
    linked_entity_ids: [owner.business_id, owner.person_id],
  };
}
