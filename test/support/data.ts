/**
 * Helpers for the tests of subject-record data (business.*, …): request bodies, the exact error
 * objects, a record whose business application has ENDED, the entity events a record holds, and
 * links inserted past the API for methods that do not exist yet.
 */
import assert from "node:assert/strict";
import type { ResponseOf, VettedClient } from "@vetted/client";
import type { EntityEventPayload } from "../../src/domain/events.js";
import { newId } from "../../src/domain/ids.js";
import type { EventRecord } from "../../src/domain/records.js";
import type { WireError } from "../../src/errors.js";
import type { TestServer } from "./server.js";
import { executeSql } from "./sql.js";
import { createApplication, createSubjectRecord, ERRORS, expectOk, ISO_MS } from "./workflows.js";

export type BusinessObject = ResponseOf<"business.get">["business"];
export type SalesInfoObject = ResponseOf<"business.salesInfo.get">["sales_info"];

export const DATA_ERRORS = {
  maxBusiness: {
    code: "SYSTEM_RULE_VIOLATION",
    message:
      "The Subject Record cannot hold another business (one per BUSINESS record, none per PERSON record)",
    entity_type: "Subject Record",
    sub_code: "MAX_BUSINESS_LIMIT",
  } satisfies WireError,
  salesInfoExists: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The business already has sales info",
    entity_type: "Business",
    sub_code: "SALES_INFO_ALREADY_EXISTS",
  } satisfies WireError,
  businessLinked: (related_methods: string[]): WireError => ({
    code: "ENTITY_LINKED",
    message: "The business still has owner, bank-account or location associations",
    entity_type: "Business",
    related_methods,
  }),
  /** The ENDED guard answers with the workflow's own WORKFLOW_ENDED. */
  ended: ERRORS.ended,
};

/** Every field of a business set, as a client sends it. */
export const FULL_BUSINESS = {
  legal_name: "Acme Widgets LLC",
  operating_name: "Acme",
  registration_type: "LLC",
  tax_id: "123456789",
  phone_number: "2025550143",
  email: "owner@acme.example",
  industry_category_codes: [{ type: "MCC", code: "5734" }],
  addresses: [
    {
      address_type: "LEGAL",
      line1: "1 Main St",
      line2: null,
      city: "San Francisco",
      state: "CA",
      postal_code: "94105",
      country: "US",
    },
  ],
  websites: ["https://acme.example"],
  additional_fields: [{ field_name: "merrick_mid", field_value: "123456789012345" }],
} as const;

/** The business as business.get (not verbose, masked) answers it, from what was sent. */
export function expectedBusiness(
  ids: { business_id: string; subject_record_id: string },
  fields: Partial<Record<keyof typeof FULL_BUSINESS, unknown>>,
  times: { created_at: string; updated_at: string },
  sales_info_id: string | null = null,
): BusinessObject {
  const tax = fields.tax_id as string | null | undefined;
  return {
    ...ids,
    legal_name: null,
    operating_name: null,
    registration_type: null,
    phone_number: null,
    email: null,
    industry_category_codes: [],
    addresses: [],
    websites: [],
    additional_fields: [],
    ...fields,
    tax_id: tax ? `${"*".repeat(tax.length - 4)}${tax.slice(-4)}` : null,
    sales_info_id,
    ...times,
  } as BusinessObject;
}

export async function createBusiness(
  client: VettedClient,
  subjectRecordId: string,
  business?: Record<string, unknown>,
): Promise<BusinessObject> {
  const body = { subject_record_id: subjectRecordId, ...(business ? { business } : {}) };
  return expectOk(await client.call("business.create", body as never)).business;
}

/** A new BUSINESS subject record of the account with its business. */
export async function newBusiness(
  client: VettedClient,
  accountId: string,
  business?: Record<string, unknown>,
): Promise<BusinessObject> {
  return createBusiness(client, await createSubjectRecord(client, accountId), business);
}

export async function getBusiness(
  client: VettedClient,
  businessId: string,
  options: { verbose?: boolean; show_sensitive_data?: boolean } = {},
): Promise<BusinessObject> {
  return expectOk(await client.call("business.get", { business_id: businessId, ...options })).business;
}

export async function createSalesInfo(
  client: VettedClient,
  businessId: string,
  salesInfo?: Record<string, unknown>,
): Promise<SalesInfoObject> {
  const body = { business_id: businessId, ...(salesInfo ? { sales_info: salesInfo } : {}) };
  return expectOk(await client.call("business.salesInfo.create", body as never)).sales_info;
}

/**
 * Ends the subject record's business application: a STARTED one is created on it and completed,
 * the account's completion requirements emptied first so that nothing but the start is asked.
 */
export async function endApplication(
  server: TestServer,
  client: VettedClient,
  accountId: string,
  subjectRecordId: string,
) {
  await server.operator.updateAccount(accountId, { dataSettings: { completion_requirements: [] } });
  const application = await createApplication(client, accountId, { subjectRecordId });
  expectOk(await client.call("workflow.complete", { workflow_id: application.workflow_id }));
}

/** An event of data.md §13 that names an entity: no workflow, the entity in its payload. */
export type EntityEvent = EventRecord & { payload: EntityEventPayload };

/** The entity events of one subject record, oldest first. */
export async function entityEvents(
  server: TestServer,
  accountId: string,
  subjectRecordId: string,
): Promise<EntityEvent[]> {
  const events = await server.store.listEvents({ accountId });
  return events.filter(
    (e): e is EntityEvent =>
      e.subject_record_id === subjectRecordId &&
      e.workflow_id === null &&
      typeof e.payload?.entity_id === "string",
  );
}

/** The event a write must have written, asserted whole: what it names is its payload. */
export function assertEntityEvent(
  event: EntityEvent | undefined,
  expected: {
    event_type: EventRecord["event_type"];
    account_id: string;
    subject_record_id: string;
  } & EntityEventPayload,
  actorId: string,
): void {
  const { event_type, account_id, subject_record_id, ...payload } = expected;
  assert.ok(event, `expected a ${event_type} event`);
  assert.match(event.id, /^wh_[0-9A-Za-z]{21,22}$/);
  assert.match(event.created_at, ISO_MS);
  assert.deepEqual(event, {
    id: event.id,
    event_type,
    account_id,
    subject_record_id,
    workflow_id: null,
    workflow_type: null,
    actor_type: "API_KEY",
    actor_id: actorId,
    created_at: event.created_at,
    payload,
  });
}

/**
 * Links past the API (business.addOwner and business.addBankAccount are not written yet): a person
 * owning the business, and a bank account linked with the given purposes. Returns their IDs.
 */
export async function insertLinks(
  server: TestServer,
  business: { business_id: string; subject_record_id: string },
  links: { owner?: boolean; bankAccount?: string[] },
  at: string,
) {
  const statements: [string, unknown[]][] = [];
  const ids = {
    person_id: newId("person"),
    business_owner_id: newId("businessOwner"),
    bank_account_id: newId("bankAccount"),
    business_bank_account_id: newId("businessBankAccount"),
  };
  if (links.owner) {
    statements.push(
      [
        `insert into person (id, subject_record_id, first_name, tax_id, addresses, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [ids.person_id, business.subject_record_id, "Ann", "987654321", "[]", at, at],
      ],
      [
        `insert into business_owner (id, business_id, person_id, ownership_type, ownership_percentage,
           created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7)`,
        [ids.business_owner_id, business.business_id, ids.person_id, "CONTROL_PRONG", 60, at, at],
      ],
    );
  }
  if (links.bankAccount) {
    statements.push(
      [
        `insert into bank_account (id, subject_record_id, bank_routing_number, bank_account_number,
           created_at, updated_at) values ($1, $2, $3, $4, $5, $6)`,
        [ids.bank_account_id, business.subject_record_id, "011000015", "12345678", at, at],
      ],
      [
        `insert into business_bank_account (id, business_id, bank_account_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5)`,
        [ids.business_bank_account_id, business.business_id, ids.bank_account_id, at, at],
      ],
    );
    const purposes = links.bankAccount.length > 0 ? links.bankAccount : [""];
    purposes.forEach((purpose, position) => {
      statements.push([
        `insert into business_bank_account_purpose
           (business_bank_account_id, business_id, bank_account_id, purpose, position)
         values ($1, $2, $3, $4, $5)`,
        [ids.business_bank_account_id, business.business_id, ids.bank_account_id, purpose, position],
      ]);
    });
  }
  await executeSql(server.database, statements);
  return ids;
}

export { ISO_MS };
