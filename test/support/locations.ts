/**
 * Helpers for the tests of locations (data.md §5.4, §8): request bodies, calls that must succeed,
 * and the exact errors of §3.2, §3.4, §3.5 and §3.6 for locations.
 */
import type { ResponseOf, VettedClient } from "@vetted/client";
import type { WireError } from "../../src/errors.js";
import type { TestServer } from "./server.js";
import { expectOk } from "./workflows.js";

export type LocationObject = ResponseOf<"location.create">["location"];
export type BusinessLocationObject = ResponseOf<"business.addLocation">["business_location"];
export type LocationBankAccountObject = ResponseOf<"location.addBankAccount">["location_bank_account"];

/** Every field of a location set, as a client sends it. */
export const FULL_LOCATION = {
  location_type: "STOREFRONT",
  location_name: "Main street shop",
  owner_name: "Jane Owner",
  owner_type: "PERSON",
  address: {
    line1: "1 Main St",
    line2: null,
    city: "San Francisco",
    state: "CA",
    postal_code: "94105",
    country: "US",
  },
} as const;

export const LOCATION_ERRORS = {
  disabled: {
    code: "ACCOUNT_CONFIGURATION_VIOLATION",
    message: "Locations are not enabled for this account",
    entity_type: "Location",
    sub_code: "FEATURE_NOT_ENABLED",
  } satisfies WireError,
  limit: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The Subject Record cannot hold another location (100 per record)",
    entity_type: "Subject Record",
    sub_code: "MAX_LOCATION_LIMIT",
  } satisfies WireError,
  duplicateBusiness: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The location is already linked to the business",
    entity_type: "Business",
    sub_code: "DUPLICATE_LOCATION_ASSOCIATION",
  } satisfies WireError,
  duplicateBank: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The bank account is already linked to the location with one of these purposes",
    entity_type: "Location",
    sub_code: "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
  } satisfies WireError,
  linked: (related_methods: string[]): WireError => ({
    code: "ENTITY_LINKED",
    message: "The location is still linked to a business or to bank accounts",
    entity_type: "Location",
    related_methods,
  }),
};

export async function createLocation(
  client: VettedClient,
  subjectRecordId: string,
  location?: Record<string, unknown>,
): Promise<LocationObject> {
  const body = { subject_record_id: subjectRecordId, ...(location ? { location } : {}) };
  return expectOk(await client.call("location.create", body as never)).location;
}

export async function getLocation(client: VettedClient, locationId: string, verbose = false) {
  return expectOk(await client.call("location.get", { location_id: locationId, verbose })).location;
}

export async function addLocation(
  client: VettedClient,
  businessId: string,
  locationId: string,
): Promise<BusinessLocationObject> {
  const body = { business_id: businessId, business_location: { location_id: locationId } };
  return expectOk(await client.call("business.addLocation", body)).business_location;
}

export async function addLocationBankAccount(
  client: VettedClient,
  locationId: string,
  bankAccountId: string,
  purposes: string[],
): Promise<LocationBankAccountObject> {
  const body = {
    location_id: locationId,
    location_bank_account: { bank_account_id: bankAccountId, bank_account_purposes: purposes },
  };
  return expectOk(await client.call("location.addBankAccount", body)).location_bank_account;
}

/** Switches the account's locations feature off (or on). */
export async function setLocationsEnabled(server: TestServer, accountId: string, enabled: boolean) {
  await server.operator.updateAccount(accountId, { dataSettings: { locations_enabled: enabled } });
}
