/**
 * Helpers for the tests of business owners (business.addOwner, …): persons to own a business,
 * owner bodies and calls, the exact errors of data.md §5.2, and dates relative to the server's today.
 */
import type { ResponseOf, VettedClient } from "@vetted/client";
import { utcDate, yearsBefore } from "../../src/domain/calendar.js";
import type { WireError } from "../../src/errors.js";
import type { TestServer } from "./server.js";
import { expectOk } from "./workflows.js";

export type BusinessOwnerObject = ResponseOf<"business.getOwner">["business_owner"];

export const OWNER_ERRORS = {
  crossRecord: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The entities to link belong to different subject records",
    entity_type: "Subject Record",
    sub_code: "CROSS_SUBJECT_RECORD_REFERENCE",
  } satisfies WireError,
  duplicate: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The person is already an owner of the business",
    entity_type: "Business",
    sub_code: "DUPLICATE_OWNER_ASSOCIATION",
  } satisfies WireError,
  age: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "A control-prong owner must be 18 or older",
    entity_type: "Business",
    sub_code: "CONTROL_PRONG_AGE_REQUIREMENT",
  } satisfies WireError,
  exceeded: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The ownership percentages of the business's owners would add up to more than 100",
    entity_type: "Business",
    sub_code: "OWNERSHIP_PERCENTAGE_EXCEEDED",
  } satisfies WireError,
  maxOwners: {
    code: "ACCOUNT_CONFIGURATION_VIOLATION",
    message: "The business already has the number of owners the account allows",
    entity_type: "Business",
    sub_code: "MAX_OWNER_LIMIT",
  } satisfies WireError,
  minimum: {
    code: "ACCOUNT_CONFIGURATION_VIOLATION",
    message: "An OWNERSHIP_PRONG owner's ownership_percentage is below the account's minimum",
    entity_type: "Business Owner",
    sub_code: "MINIMUM_OWNERSHIP_PERCENTAGE",
  } satisfies WireError,
};

/** The server's today (UTC), and the latest date of birth of an adult: T − 18 y (data.md §2.1). */
export function today(server: TestServer): string {
  return utcDate(server.clock.now());
}

export function adultLimit(server: TestServer): string {
  return yearsBefore(today(server), 18);
}

/** The day after `date` (`YYYY-MM-DD`). */
export function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return utcDate(next);
}

export interface PersonValues {
  first_name?: string;
  date_of_birth?: string | null;
  tax_id?: string | null;
}

/** A person of the subject record (person.create), with a tax ID so that unmasking reveals something. */
export async function newPerson(
  client: VettedClient,
  subjectRecordId: string,
  values: PersonValues = {},
): Promise<string> {
  const person = { first_name: "Ann", tax_id: "987654321", ...values };
  const created = expectOk(
    await client.call("person.create", { subject_record_id: subjectRecordId, person } as never),
  );
  return created.person.person_id;
}

export function addOwnerCall(client: VettedClient, businessId: string, owner: Record<string, unknown>) {
  return client.call("business.addOwner", { business_id: businessId, business_owner: owner } as never);
}

export async function addOwner(
  client: VettedClient,
  businessId: string,
  owner: Record<string, unknown>,
): Promise<ResponseOf<"business.addOwner">["business_owner"]> {
  return expectOk(await addOwnerCall(client, businessId, owner)).business_owner;
}

export async function getOwner(
  client: VettedClient,
  businessOwnerId: string,
  options: { verbose?: boolean; show_sensitive_data?: boolean } = {},
): Promise<BusinessOwnerObject> {
  return expectOk(await client.call("business.getOwner", { business_owner_id: businessOwnerId, ...options }))
    .business_owner;
}

/** The owner associations of a business, as stored (ID order is creation order within a test). */
export async function ownerCount(client: VettedClient, businessId: string): Promise<number> {
  return expectOk(await client.call("business.listOwners", { business_id: businessId })).business_owners
    .length;
}
