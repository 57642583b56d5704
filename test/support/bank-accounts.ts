/**
 * Helpers for the tests of bankAccount.* and the business's bank-account associations: request
 * bodies, calls that must succeed, and the exact errors of data.md §3.2, §3.6 and §5.3.
 */
import type { ResponseOf, VettedClient } from "@vetted/client";
import type { WireError } from "../../src/errors.js";
import type { TestServer } from "./server.js";
import { expectOk } from "./workflows.js";

export type BankAccountObject = ResponseOf<"bankAccount.get">["bank_account"];
export type BusinessBankAccountObject = ResponseOf<"business.addBankAccount">["business_bank_account"];

/** Every field of a bank account set, as a client sends it. */
export const FULL_BANK_ACCOUNT = {
  bank_account_ownership_type: "BUSINESS",
  bank_account_type: "CHECKING",
  bank_routing_number: "021000021",
  bank_account_number: "000123456789",
  bank_name: "First Bank",
} as const;

export const MINIMAL_BANK_ACCOUNT = { bank_routing_number: "011000015", bank_account_number: "12345678" };

export const BANK_ERRORS = {
  recordLimit: {
    code: "ACCOUNT_CONFIGURATION_VIOLATION",
    message: "The Subject Record already holds as many bank accounts as the account allows",
    entity_type: "Subject Record",
    sub_code: "MAX_BANK_ACCOUNT_LIMIT",
  } satisfies WireError,
  businessLimit: {
    code: "ACCOUNT_CONFIGURATION_VIOLATION",
    message: "The business already has as many bank-account associations as the account allows",
    entity_type: "Business",
    sub_code: "MAX_BANK_ACCOUNT_LIMIT",
  } satisfies WireError,
  crossRecord: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The entities to link belong to different subject records",
    entity_type: "Subject Record",
    sub_code: "CROSS_SUBJECT_RECORD_REFERENCE",
  } satisfies WireError,
  duplicate: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The bank account is already linked to the business with one of these purposes (or with none)",
    entity_type: "Business",
    sub_code: "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
  } satisfies WireError,
  singlePrimary: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The business already has a bank account with purpose PRIMARY",
    entity_type: "Business",
    sub_code: "SINGLE_PRIMARY_BANK_ACCOUNT",
  } satisfies WireError,
  linked: (related_methods: string[]): WireError => ({
    code: "ENTITY_LINKED",
    message: "The bank account is still linked to a business or a location",
    entity_type: "Bank Account",
    related_methods,
  }),
};

export async function createBankAccount(
  client: VettedClient,
  subjectRecordId: string,
  bankAccount: Record<string, unknown> = MINIMAL_BANK_ACCOUNT,
): Promise<BankAccountObject> {
  const body = { subject_record_id: subjectRecordId, bank_account: bankAccount };
  return expectOk(await client.call("bankAccount.create", body as never)).bank_account;
}

export async function getBankAccount(
  client: VettedClient,
  bankAccountId: string,
  show_sensitive_data?: boolean,
): Promise<BankAccountObject> {
  const body = {
    bank_account_id: bankAccountId,
    ...(show_sensitive_data === undefined ? {} : { show_sensitive_data }),
  };
  return expectOk(await client.call("bankAccount.get", body)).bank_account;
}

export async function addBankAccount(
  client: VettedClient,
  businessId: string,
  bankAccountId: string,
  purposes?: string[],
): Promise<BusinessBankAccountObject> {
  const body = {
    business_id: businessId,
    business_bank_account: {
      bank_account_id: bankAccountId,
      ...(purposes === undefined ? {} : { bank_account_purposes: purposes }),
    },
  };
  return expectOk(await client.call("business.addBankAccount", body)).business_bank_account;
}

export async function listBusinessBankAccounts(
  client: VettedClient,
  businessId: string,
): Promise<ResponseOf<"business.listBankAccounts">["business_bank_accounts"]> {
  return expectOk(await client.call("business.listBankAccounts", { business_id: businessId }))
    .business_bank_accounts;
}

/** The SENSITIVE_DATA_ACCESSED payloads of an account, oldest first. */
export async function audits(server: TestServer, accountId: string) {
  const events = await server.store.listEvents({ accountId });
  return events.filter((e) => e.event_type === "SENSITIVE_DATA_ACCESSED").map((e) => e.payload);
}

/** The masked form of data.md §2.6. */
export function masked(value: string): string {
  const k = Math.min(4, Math.floor(value.length / 2));
  return "*".repeat(value.length - k) + value.slice(value.length - k);
}
