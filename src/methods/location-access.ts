/**
 * The lookups of the location reads: step 3 (ENTITY_NOT_FOUND on the field), then step 5, the
 * account's `locations_enabled` (data.md §2.1: location reads check 1 → 3 → 5).
 */
import type { BankAccount, Business } from "../domain/data-records.js";
import type { InSubjectRecord } from "../domain/data-store.js";
import { locationsEnabledFor, visibleBusinessLocation, visibleLocation } from "../domain/location-lookups.js";
import type { BusinessLocation, Location, LocationBankAccount } from "../domain/location-records.js";
import type { SubjectRecord } from "../domain/records.js";
import { assertVisibleBusiness, assertVisibleSubjectRecord, callerScope } from "./access.js";
import type { MethodContext } from "./define.js";

const scopeOf = (context: MethodContext) => callerScope(context).scope;

export async function gatedLocation(context: MethodContext, id: string, field: string): Promise<Location> {
  const location = await visibleLocation(context.store, scopeOf(context), id, field);
  await locationsEnabledFor(context.store, scopeOf(context), location.subject_record_id, field);
  return location;
}

export async function gatedBusinessLocation(
  context: MethodContext,
  id: string,
  field: string,
): Promise<InSubjectRecord<BusinessLocation>> {
  const association = await visibleBusinessLocation(context.store, scopeOf(context), id, field);
  await locationsEnabledFor(context.store, scopeOf(context), association.subject_record_id, field);
  return association;
}

export async function gatedSubjectRecord(
  context: MethodContext,
  id: string,
  field: string,
): Promise<SubjectRecord> {
  const record = await assertVisibleSubjectRecord(context, id, field);
  await locationsEnabledFor(context.store, scopeOf(context), record.id, field);
  return record;
}

export async function gatedBusiness(context: MethodContext, id: string, field: string): Promise<Business> {
  const business = await assertVisibleBusiness(context, id, field);
  await locationsEnabledFor(context.store, scopeOf(context), business.subject_record_id, field);
  return business;
}

/** The locations' bank-account associations and their bank accounts, for a verbose answer. */
export async function bankAccountsOfLocations(
  context: MethodContext,
  locationIds: readonly string[],
): Promise<{ associations: LocationBankAccount[]; accounts: Map<string, BankAccount> }> {
  const associations = await context.store.listLocationBankAccounts(locationIds);
  const accounts = await context.store.getBankAccounts(associations.map((a) => a.bank_account_id));
  return { associations, accounts: new Map(accounts.map((account) => [account.id, account])) };
}
