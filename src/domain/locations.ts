/**
 * location.create / update / delete (data.md §8), the business's location associations
 * (business.addLocation / removeLocation, §5.4) and the location's bank-account associations
 * (location.addBankAccount / removeBankAccount), as write procedures. Every one is gated by the
 * account's `locations_enabled` at step 5, between the lookups and the ENDED guard.
 */
import { badRequest, entityLinked } from "../errors.js";
import { allowedLocationBankAccountPurposes } from "./account-settings.js";
import { crossSubjectRecordReference } from "./data-errors.js";
import { type DataWriteContext, entityForDataWrite, subjectRecordForDataWrite } from "./data-writes.js";
import type { DomainStore } from "./domain-store.js";
import { entityEvent } from "./events.js";
import { duplicateLocationBankAccountAssociation, maxLocationLimit } from "./location-errors.js";
import {
  locationsEnabledFor,
  visibleBusinessLocation,
  visibleLocation,
  visibleLocationBankAccount,
} from "./location-lookups.js";
import type { BusinessLocation, Location, LocationBankAccount, LocationFields } from "./location-records.js";
import type { LocationLinks } from "./location-store.js";
import { visibleBankAccount, visibleBusiness, visibleSubjectRecord } from "./lookups.js";
import { applyUpdate, type UpdateWrapper } from "./updates.js";

/** data.md §3.2: 100 locations per subject record, of either type (V). */
export const MAX_LOCATIONS_PER_SUBJECT_RECORD = 100;

/** Checks 1 → 3 → 5 → 6 → 9 MAX_LOCATION_LIMIT (counted under the record's lock). */
export async function createLocation(
  tx: DomainStore,
  input: DataWriteContext & { location: Location },
): Promise<Location> {
  const { location } = input;
  const field = "subject_record_id";
  await locationsEnabledFor(tx, input.scope, location.subject_record_id, field);
  const record = await subjectRecordForDataWrite(tx, input.scope, location.subject_record_id, field);
  if ((await tx.countLocations(record.id)) >= MAX_LOCATIONS_PER_SUBJECT_RECORD) throw maxLocationLimit();
  await tx.insertLocation(location);
  const subject = { entity_type: "Location" as const, entity_id: location.id };
  await tx.insertEvent(entityEvent("LOCATION_CREATED", record, subject, input.actor, input.now));
  return location;
}

/** The location a write names (step 3), its account's feature switch passed (step 5). */
function gatedLocation(tx: DomainStore, input: DataWriteContext & { locationId: string }) {
  return async () => {
    const location = await visibleLocation(tx, input.scope, input.locationId, "location_id");
    await locationsEnabledFor(tx, input.scope, location.subject_record_id, "location_id");
    return location;
  };
}

/** Checks 1 → 3 → 5 → 6; `address` replaced whole; an absent or empty wrapper writes nothing. */
export async function updateLocation(
  tx: DomainStore,
  input: DataWriteContext & { locationId: string; location: UpdateWrapper<LocationFields> | undefined },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, gatedLocation(tx, input));
  const change = applyUpdate(entity, input.location, input.now);
  if (!change) return;
  await tx.updateLocation(change.updated);
  const subject = { entity_type: "Location" as const, entity_id: entity.id, fields: change.fields };
  await tx.insertEvent(entityEvent("LOCATION_UPDATED", record, subject, input.actor, input.now));
}

/** Checks 1 → 3 → 5 → 6 → 8: refused while linked to a business or to bank accounts. */
export async function deleteLocation(
  tx: DomainStore,
  input: DataWriteContext & { locationId: string },
): Promise<void> {
  const { entity, record } = await entityForDataWrite(tx, gatedLocation(tx, input));
  const removers = locationLinkRemovers(await tx.locationLinks(entity.id));
  if (removers.length > 0)
    throw entityLinked(
      "Location",
      "The location is still linked to a business or to bank accounts",
      removers,
    );
  await tx.deleteLocation(entity.id);
  const subject = { entity_type: "Location" as const, entity_id: entity.id };
  await tx.insertEvent(entityEvent("LOCATION_DELETED", record, subject, input.actor, input.now));
}

/** The methods that remove the kinds of link present, in data.md §3.5's order. */
function locationLinkRemovers(links: LocationLinks): string[] {
  const removers: string[] = [];
  if (links.businesses) removers.push("business.removeLocation");
  if (links.bankAccounts) removers.push("location.removeBankAccount");
  return removers;
}

/**
 * Checks 1 → 3 (`business_id`, then `location_id`) → 5 → 6 → 7 → 9 DUPLICATE_LOCATION_ASSOCIATION,
 * which the rule index decides, so of simultaneous adds exactly one wins.
 */
export async function addBusinessLocation(
  tx: DomainStore,
  input: DataWriteContext & { association: BusinessLocation },
): Promise<BusinessLocation> {
  const { association } = input;
  const find = async () => {
    const business = await visibleBusiness(tx, input.scope, association.business_id, "business_id");
    const location = await visibleLocation(
      tx,
      input.scope,
      association.location_id,
      "business_location.location_id",
    );
    await locationsEnabledFor(tx, input.scope, business.subject_record_id, "business_id");
    return { subject_record_id: business.subject_record_id, location };
  };
  const { entity, record } = await entityForDataWrite(tx, find);
  if (entity.location.subject_record_id !== record.id) throw crossSubjectRecordReference();
  await tx.insertBusinessLocation(association);
  const subject = {
    entity_type: "Business Location" as const,
    entity_id: association.id,
    linked_entity_ids: [association.business_id, association.location_id],
  };
  await tx.insertEvent(entityEvent("BUSINESS_LOCATION_ADDED", record, subject, input.actor, input.now));
  return association;
}

/** Checks 1 → 3 → 5 → 6; the location and the business stay. */
export async function removeBusinessLocation(
  tx: DomainStore,
  input: DataWriteContext & { associationId: string },
): Promise<void> {
  const find = async () => {
    const found = await visibleBusinessLocation(tx, input.scope, input.associationId, "business_location_id");
    await locationsEnabledFor(tx, input.scope, found.subject_record_id, "business_location_id");
    return found;
  };
  const { entity, record } = await entityForDataWrite(tx, find);
  await tx.deleteBusinessLocation(entity.id);
  const subject = {
    entity_type: "Business Location" as const,
    entity_id: entity.id,
    linked_entity_ids: [entity.business_id, entity.location_id],
  };
  await tx.insertEvent(entityEvent("BUSINESS_LOCATION_REMOVED", record, subject, input.actor, input.now));
}

const PURPOSES_PATH = "location_bank_account.bank_account_purposes";

/**
 * Checks 1 → 3 (`location_id`, then `bank_account_id`) → 4 → 5 → 6 → 7 → 9
 * DUPLICATE_BANK_ACCOUNT_ASSOCIATION: the purposes overlap another association of the same bank
 * account at this location (the rule index backs it for simultaneous adds).
 */
export async function addLocationBankAccount(
  tx: DomainStore,
  input: DataWriteContext & { association: LocationBankAccount },
): Promise<LocationBankAccount> {
  const { association } = input;
  const find = async () => {
    const location = await visibleLocation(tx, input.scope, association.location_id, "location_id");
    const bankAccount = await visibleBankAccount(
      tx,
      input.scope,
      association.bank_account_id,
      "location_bank_account.bank_account_id",
    );
    const record = await visibleSubjectRecord(tx, input.scope, location.subject_record_id, "location_id");
    const settings = await tx.getAccountDataSettings(record.account_id);
    const allowed = settings ? allowedLocationBankAccountPurposes(settings) : [];
    const index = association.bank_account_purposes.findIndex((purpose) => !allowed.includes(purpose));
    if (index >= 0)
      throw badRequest(
        `${PURPOSES_PATH}[${index}] must be one of ${allowed.join(", ")}`,
        `${PURPOSES_PATH}[${index}]`,
      );
    await locationsEnabledFor(tx, input.scope, location.subject_record_id, "location_id");
    return { subject_record_id: location.subject_record_id, bankAccount };
  };
  const { entity, record } = await entityForDataWrite(tx, find);
  if (entity.bankAccount.subject_record_id !== record.id) throw crossSubjectRecordReference();
  const others = await tx.listLocationBankAccounts([association.location_id]);
  const overlaps = others.some(
    (other) =>
      other.bank_account_id === association.bank_account_id &&
      other.bank_account_purposes.some((purpose) => association.bank_account_purposes.includes(purpose)),
  );
  if (overlaps) throw duplicateLocationBankAccountAssociation();
  await tx.insertLocationBankAccount(association);
  await tx.insertEvent(
    entityEvent("LOCATION_BANK_ACCOUNT_ADDED", record, lbaSubject(association), input.actor, input.now),
  );
  return association;
}

/** Checks 1 → 3 → 5 → 6; the bank account and the location stay. */
export async function removeLocationBankAccount(
  tx: DomainStore,
  input: DataWriteContext & { associationId: string },
): Promise<void> {
  const find = async () => {
    const found = await visibleLocationBankAccount(
      tx,
      input.scope,
      input.associationId,
      "location_bank_account_id",
    );
    await locationsEnabledFor(tx, input.scope, found.subject_record_id, "location_bank_account_id");
    return found;
  };
  const { entity, record } = await entityForDataWrite(tx, find);
  await tx.deleteLocationBankAccount(entity.id);
  await tx.insertEvent(
    entityEvent("LOCATION_BANK_ACCOUNT_REMOVED", record, lbaSubject(entity), input.actor, input.now),
  );
}

/** What a location bank-account event names: the association and the two IDs it links (§13). */
function lbaSubject(association: Pick<LocationBankAccount, "id" | "location_id" | "bank_account_id">) {
  return {
    entity_type: "Location Bank Account" as const,
    entity_id: association.id,
    linked_entity_ids: [association.location_id, association.bank_account_id],
  };
}
