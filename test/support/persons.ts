/**
 * Helpers for the tests of person.* and person.issuedIdentifier.*: request bodies, the exact
 * error objects, the person as person.get answers it, and an owner association inserted past the
 * API (for person.update's age rule and person.delete's ENTITY_LINKED).
 */
import type { ResponseOf, VettedClient } from "@vetted/client";
import { newId } from "../../src/domain/ids.js";
import type { WireError } from "../../src/errors.js";
import type { TestServer } from "./server.js";
import { executeSql } from "./sql.js";
import { expectOk } from "./workflows.js";

export type PersonObject = ResponseOf<"person.get">["person"];

export const PERSON_ERRORS = {
  maxPerson: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The Subject Record cannot hold another person (100 per BUSINESS record, 1 per PERSON record)",
    entity_type: "Subject Record",
    sub_code: "MAX_PERSON_LIMIT",
  } satisfies WireError,
  controlProngAge: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "A control-prong owner must be 18 or older",
    entity_type: "Business",
    sub_code: "CONTROL_PRONG_AGE_REQUIREMENT",
  } satisfies WireError,
  personLinked: {
    code: "ENTITY_LINKED",
    message: "The person is an owner of a business.",
    entity_type: "Person",
    related_methods: ["business.removeOwner"],
  } satisfies WireError,
  invalidIdentifierType: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The issued identifier type is not one of the account's PERSON_ISSUED_IDENTIFIER_TYPES",
    entity_type: "Person",
    sub_code: "INVALID_ISSUED_IDENTIFIER_TYPE",
  } satisfies WireError,
  duplicatedIdentifier: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The person already has an issued identifier of this type",
    entity_type: "Person",
    sub_code: "DUPLICATED_ISSUED_IDENTIFIER",
  } satisfies WireError,
};

/** Every field of a person set, as a client sends it. */
export const FULL_PERSON = {
  email: "ann@acme.example",
  first_name: "Ann",
  middle_name: "B",
  last_name: "Lee",
  date_of_birth: "1980-05-17",
  tax_id: "123456789",
  citizenship: "US",
  phone_number: "2025550143",
  addresses: [
    {
      address_type: "RESIDENTIAL",
      line1: "1 Main St",
      line2: null,
      city: "San Francisco",
      state: "CA",
      postal_code: "94105",
      country: "US",
    },
  ],
} as const;

const mask = (value: string) =>
  `${"*".repeat(value.length - Math.min(4, Math.floor(value.length / 2)))}${value.slice(-Math.min(4, Math.floor(value.length / 2)))}`;

/** The person as person.get (masked) answers it, from what was sent. */
export function expectedPerson(
  ids: { person_id: string; subject_record_id: string },
  fields: Partial<Record<keyof typeof FULL_PERSON, unknown>>,
  times: { created_at: string; updated_at: string },
): PersonObject {
  const tax = fields.tax_id as string | null | undefined;
  return {
    ...ids,
    email: null,
    first_name: null,
    middle_name: null,
    last_name: null,
    date_of_birth: null,
    citizenship: null,
    phone_number: null,
    addresses: [],
    ...fields,
    tax_id: tax ? mask(tax) : null,
    created_at: times.created_at,
    updated_at: times.updated_at,
  } as PersonObject;
}

export async function createPerson(
  client: VettedClient,
  subjectRecordId: string,
  person?: Record<string, unknown>,
): Promise<PersonObject> {
  const body = { subject_record_id: subjectRecordId, ...(person ? { person } : {}) };
  return expectOk(await client.call("person.create", body as never)).person;
}

export async function getPerson(
  client: VettedClient,
  personId: string,
  options: { show_sensitive_data?: boolean } = {},
): Promise<PersonObject> {
  return expectOk(await client.call("person.get", { person_id: personId, ...options })).person;
}

/** The SENSITIVE_DATA_ACCESSED events of an account, as their payloads. */
export async function audits(server: TestServer, accountId: string) {
  const events = await server.store.listEvents({ accountId });
  return events.filter((e) => e.event_type === "SENSITIVE_DATA_ACCESSED").map((e) => e.payload);
}

/** The person made an owner of the business past the API (business.addOwner may not exist yet). */
export async function insertOwner(
  server: TestServer,
  businessId: string,
  personId: string,
  ownershipType: "CONTROL_PRONG" | "OWNERSHIP_PRONG",
): Promise<string> {
  const id = newId("businessOwner");
  const at = new Date().toISOString();
  await executeSql(server.database, [
    [
      `insert into business_owner (id, business_id, person_id, ownership_type, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6)`,
      [id, businessId, personId, ownershipType, at, at],
    ],
  ]);
  return id;
}

/** The same month and day `years` years before `date`, 28 February for a missing 29 (data.md §2.1). */
export { yearsBefore } from "../../src/domain/calendar.js";

export type IssuedIdentifierObject = ResponseOf<"person.issuedIdentifier.get">["issued_identifier"];

export async function createIssuedIdentifier(
  client: VettedClient,
  personId: string,
  type: string,
  issuedNumber = "D1234567",
): Promise<IssuedIdentifierObject> {
  const body = { person_id: personId, issued_identifier: { type, issued_number: issuedNumber } };
  return expectOk(await client.call("person.issuedIdentifier.create", body)).issued_identifier;
}

export async function getIssuedIdentifier(client: VettedClient, id: string): Promise<IssuedIdentifierObject> {
  return expectOk(await client.call("person.issuedIdentifier.get", { issued_identifier_id: id }))
    .issued_identifier;
}
