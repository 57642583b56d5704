/**
 * Locations seen by a caller (lookups.ts's rule: ENTITY_NOT_FOUND on the field that named it), and
 * the `locations_enabled` gate every location method passes at step 5 (data.md §2.1, §3.6).
 */
import { notFound } from "../errors.js";
import { type AccountDataSettings, accountDataSettings } from "./account-settings.js";
import type { InSubjectRecord } from "./data-store.js";
import type { DomainReads } from "./domain-store.js";
import { locationsNotEnabled } from "./location-errors.js";
import type { BusinessLocation, Location, LocationBankAccount } from "./location-records.js";
import { visibleSubjectRecord } from "./lookups.js";
import type { VisibilityScope } from "./visibility.js";

export async function visibleLocation(
  reads: Pick<DomainReads, "getVisibleLocation">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<Location> {
  const location = await reads.getVisibleLocation(id, scope);
  if (!location) throw notFound("Location", field);
  return location;
}

export async function visibleBusinessLocation(
  reads: Pick<DomainReads, "getVisibleBusinessLocation">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<InSubjectRecord<BusinessLocation>> {
  const association = await reads.getVisibleBusinessLocation(id, scope);
  if (!association) throw notFound("Business Location", field);
  return association;
}

export async function visibleLocationBankAccount(
  reads: Pick<DomainReads, "getVisibleLocationBankAccount">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<InSubjectRecord<LocationBankAccount>> {
  const association = await reads.getVisibleLocationBankAccount(id, scope);
  if (!association) throw notFound("Location Bank Account", field);
  return association;
}

/**
 * Step 5: FEATURE_NOT_ENABLED unless the account of the subject record (already found visible,
 * `field` only names it should it vanish meanwhile) has `locations_enabled`. Reads included.
 */
export async function locationsEnabledFor(
  reads: Pick<DomainReads, "getVisibleSubjectRecord" | "getAccountDataSettings">,
  scope: VisibilityScope,
  subjectRecordId: string,
  field: string,
): Promise<AccountDataSettings> {
  const record = await visibleSubjectRecord(reads, scope, subjectRecordId, field);
  const settings = await accountDataSettings(reads, record.account_id);
  if (!settings.locations_enabled) throw locationsNotEnabled();
  return settings;
}
