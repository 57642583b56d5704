/** business.create, business.update and business.delete as write procedures (data.md §5.1). */
import { entityLinked } from "../errors.js";
import { maxBusinessLimit } from "./data-errors.js";
import type { Business, BusinessFields } from "./data-records.js";
import type { BusinessLinks } from "./data-store.js";
import { type DataWriteContext, entityForDataWrite, subjectRecordForDataWrite } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { entityEvent } from "./events.js";
import { visibleBusiness } from "./lookups.js";
import { applyUpdate, type UpdateWrapper } from "./updates.js";

/** Checks 1 → 3 → 6 → 9: one business per BUSINESS record, none on a PERSON record. */
export async function createBusiness(
  tx: DomainStore,
  input: DataWriteContext & { business: Business },
): Promise<Business> {
  const { business } = input;
  const record = await subjectRecordForDataWrite(
    tx,
    input.scope,
    business.subject_record_id,
    "subject_record_id",
  );
  if (record.type !== "BUSINESS" || (await tx.businessOfSubjectRecord(record.id))) throw maxBusinessLimit();
  await tx.insertBusiness(business);
  const subject = { entity_type: "Business" as const, entity_id: business.id };
  await tx.insertEvent(entityEvent("BUSINESS_CREATED", record, subject, input.actor, input.now));
  return business;
}

/** Checks 1 → 3 → 6; an absent or empty wrapper changes nothing and writes no event. */
export async function updateBusiness(
  tx: DomainStore,
  input: DataWriteContext & { businessId: string; business: UpdateWrapper<BusinessFields> | undefined },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleBusiness(tx, input.scope, input.businessId, "business_id"),
  );
  const change = applyUpdate(entity, input.business, input.now);
  if (!change) return;
  await tx.updateBusiness(change.updated);
  const subject = { entity_type: "Business" as const, entity_id: entity.id, fields: change.fields };
  await tx.insertEvent(entityEvent("BUSINESS_UPDATED", record, subject, input.actor, input.now));
}

/** Checks 1 → 3 → 6 → 8; the business's sales info goes with it, without an event of its own. */
export async function deleteBusiness(
  tx: DomainStore,
  input: DataWriteContext & { businessId: string },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, () =>
    visibleBusiness(tx, input.scope, input.businessId, "business_id"),
  );
  const removers = linkRemovers(await tx.businessLinks(entity.id));
  if (removers.length > 0)
    throw entityLinked(
      "Business",
      "The business still has owner, bank-account or location associations",
      removers,
    );
  await tx.deleteBusiness(entity.id);
  const subject = { entity_type: "Business" as const, entity_id: entity.id };
  await tx.insertEvent(entityEvent("BUSINESS_DELETED", record, subject, input.actor, input.now));
}

/** The methods that remove the kinds of link present, in data.md §3.5's order. */
function linkRemovers(links: BusinessLinks): string[] {
  const removers: string[] = [];
  if (links.owners) removers.push("business.removeOwner");
  if (links.bankAccounts) removers.push("business.removeBankAccount");
  if (links.locations) removers.push("business.removeLocation");
  return removers;
}
