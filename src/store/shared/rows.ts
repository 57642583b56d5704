/** Conversions between table rows and domain records (flags, JSON lists, flattened details). */

import type { AccountDataSettings, CompletionRequirementKey } from "../../domain/account-settings.js";
import type {
  BankAccount,
  Business,
  BusinessBankAccount,
  Person,
  SalesInfo,
} from "../../domain/data-records.js";
import type { Environment } from "../../domain/environment.js";
import type {
  Account,
  CredentialRecord,
  EventPayload,
  EventRecord,
  SignaturePolicy,
  SubjectRecord,
  SubjectRecordType,
  Workflow,
  WorkflowState,
  WorkflowType,
} from "../../domain/records.js";
import type {
  AccountsTable,
  BankAccountTable,
  BusinessBankAccountTable,
  BusinessTable,
  CredentialsTable,
  EventsTable,
  PersonTable,
  SalesInfoTable,
  SubjectRecordsTable,
  WorkflowsTable,
} from "./schema.js";

export const toFlag = (value: boolean): number => (value ? 1 : 0);

const stringList = (json: string): string[] => JSON.parse(json) as string[];

/** The data-settings columns of an account row, as the domain holds them. */
export function accountDataSettingsFromRow(row: AccountDataSettingsColumns): AccountDataSettings {
  return {
    completion_requirements: stringList(row.completion_requirements) as CompletionRequirementKey[],
    locations_enabled: row.locations_enabled === 1,
    max_owners_per_business: row.max_owners_per_business,
    max_bank_accounts_per_business: row.max_bank_accounts_per_business,
    max_bank_accounts_per_subject_record: row.max_bank_accounts_per_subject_record,
    minimum_ownership_percentage: row.minimum_ownership_percentage,
    bank_account_purposes: stringList(row.bank_account_purposes),
    location_bank_account_purposes: stringList(row.location_bank_account_purposes),
    issued_identifier_types: stringList(row.issued_identifier_types),
  };
}

/** The columns of a (partial) change of data settings: lists as JSON text, the flag as 0/1. */
export function accountDataSettingsToRow(
  settings: Partial<AccountDataSettings>,
): Partial<AccountDataSettingsColumns> {
  const row: Record<string, unknown> = {};
  for (const column of ACCOUNT_DATA_SETTING_COLUMNS) {
    const value = settings[column];
    if (value === undefined) continue;
    row[column] = Array.isArray(value)
      ? JSON.stringify(value)
      : typeof value === "boolean"
        ? toFlag(value)
        : value;
  }
  return row as Partial<AccountDataSettingsColumns>;
}

export const ACCOUNT_DATA_SETTING_COLUMNS = [
  "completion_requirements",
  "locations_enabled",
  "max_owners_per_business",
  "max_bank_accounts_per_business",
  "max_bank_accounts_per_subject_record",
  "minimum_ownership_percentage",
  "bank_account_purposes",
  "location_bank_account_purposes",
  "issued_identifier_types",
] as const satisfies readonly (keyof AccountDataSettings & keyof AccountsTable)[];
export type AccountDataSettingsColumns = Pick<AccountsTable, (typeof ACCOUNT_DATA_SETTING_COLUMNS)[number]>;

export function accountFromRow(row: AccountsTable): Account {
  return {
    id: row.id,
    organization_id: row.organization_id,
    environment: row.environment as Environment,
    name: row.name,
    allow_multiple_applications_per_email: row.allow_multiple_applications_per_email === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...accountDataSettingsFromRow(row),
  };
}

export function accountToRow(account: Account): AccountsTable {
  return {
    id: account.id,
    organization_id: account.organization_id,
    environment: account.environment,
    name: account.name,
    allow_multiple_applications_per_email: toFlag(account.allow_multiple_applications_per_email),
    created_at: account.created_at,
    updated_at: account.updated_at,
    ...(accountDataSettingsToRow(account) as AccountDataSettingsColumns),
  };
}

export function credentialFromRow(row: CredentialsTable): CredentialRecord {
  return {
    ...row,
    environment: row.environment as Environment,
    signature_policy: row.signature_policy as SignaturePolicy,
    read_only: row.read_only === 1,
    can_unmask: row.can_unmask === 1,
    account_ids: row.account_ids === null ? null : (JSON.parse(row.account_ids) as string[]),
  };
}

export function credentialToRow(record: CredentialRecord): CredentialsTable {
  return {
    ...record,
    read_only: toFlag(record.read_only),
    can_unmask: toFlag(record.can_unmask),
    account_ids: record.account_ids === null ? null : JSON.stringify(record.account_ids),
  };
}

export function subjectRecordFromRow(row: SubjectRecordsTable): SubjectRecord {
  return { ...row, type: row.type as SubjectRecordType };
}

export function workflowFromRow(row: WorkflowsTable): Workflow {
  return {
    id: row.id,
    account_id: row.account_id,
    subject_record_id: row.subject_record_id,
    type: row.type as WorkflowType,
    state: row.state as WorkflowState,
    details:
      row.applying_user_email === null
        ? null
        : {
            applying_user: {
              email: row.applying_user_email,
              first_name: row.applying_user_first_name,
              last_name: row.applying_user_last_name,
            },
            pricing_model_id: row.pricing_model_id,
            equipment_collection_id: row.equipment_collection_id,
            referrer_value: row.referrer_value,
          },
    started_at: row.started_at,
    ended_at: row.ended_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function workflowToRow(workflow: Workflow, emailClaim: string | null): WorkflowsTable {
  const details = workflow.details;
  return {
    id: workflow.id,
    account_id: workflow.account_id,
    subject_record_id: workflow.subject_record_id,
    type: workflow.type,
    state: workflow.state,
    applying_user_email: details?.applying_user.email ?? null,
    applying_user_email_lower: details?.applying_user.email.toLowerCase() ?? null,
    applying_user_first_name: details?.applying_user.first_name ?? null,
    applying_user_last_name: details?.applying_user.last_name ?? null,
    pricing_model_id: details?.pricing_model_id ?? null,
    equipment_collection_id: details?.equipment_collection_id ?? null,
    referrer_value: details?.referrer_value ?? null,
    email_claim: emailClaim,
    started_at: workflow.started_at,
    ended_at: workflow.ended_at,
    created_at: workflow.created_at,
    updated_at: workflow.updated_at,
  };
}

/** A table's columns as a list that the compiler checks is complete: every key, exactly once. */
export function columnsOf<Row>(columns: Record<keyof Row & string, true>): (keyof Row & string)[] {
  return Object.keys(columns) as (keyof Row & string)[];
}

/**
 * The events table's own columns, in the fixed order of every insert and select; the stream's
 * position columns (008_event_stream.ts) are not among them: the database sets them.
 */
export const EVENT_COLUMNS = columnsOf<EventsTable>({
  id: true,
  event_type: true,
  account_id: true,
  subject_record_id: true,
  workflow_id: true,
  workflow_type: true,
  actor_type: true,
  actor_id: true,
  created_at: true,
  payload: true,
});

export function eventFromRow(row: EventsTable): EventRecord {
  // The stream's position columns (008_event_stream.ts) are the store's, not the event's.
  const {
    stream_seq: _seq,
    stream_txid: _txid,
    ...columns
  } = row as EventsTable & {
    stream_seq?: unknown;
    stream_txid?: unknown;
  };
  return {
    ...(columns as Omit<EventRecord, "payload">),
    payload: columns.payload === null ? null : (JSON.parse(columns.payload) as EventPayload),
  };
}

export function eventToRow(event: EventRecord): EventsTable {
  return { ...event, payload: event.payload === null ? null : JSON.stringify(event.payload) };
}

// Subject-record data: JSON columns become arrays and objects, and back.

export function businessToRow(business: Business): BusinessTable {
  const { sales_info_id: _derived, ...columns } = business;
  return {
    ...columns,
    industry_category_codes: JSON.stringify(business.industry_category_codes),
    addresses: JSON.stringify(business.addresses),
    websites: JSON.stringify(business.websites),
    additional_fields: JSON.stringify(business.additional_fields),
  };
}

export function businessFromRow(row: BusinessTable, salesInfoId: string | null): Business {
  return {
    ...row,
    industry_category_codes: JSON.parse(row.industry_category_codes),
    addresses: JSON.parse(row.addresses),
    websites: JSON.parse(row.websites),
    additional_fields: JSON.parse(row.additional_fields),
    sales_info_id: salesInfoId,
  };
}

export function salesInfoToRow(info: SalesInfo): SalesInfoTable {
  const { subject_record_id: _derived, ...columns } = info;
  return {
    ...columns,
    card_brands: JSON.stringify(info.card_brands),
    sales_method: info.sales_method === null ? null : JSON.stringify(info.sales_method),
    sales_amount: JSON.stringify(info.sales_amount),
  };
}

export function salesInfoFromRow(row: SalesInfoTable, subjectRecordId: string): SalesInfo {
  return {
    ...row,
    subject_record_id: subjectRecordId,
    card_brands: JSON.parse(row.card_brands),
    sales_method: row.sales_method === null ? null : JSON.parse(row.sales_method),
    sales_amount: JSON.parse(row.sales_amount),
  };
}

export function personToRow(person: Person): PersonTable {
  return { ...person, addresses: JSON.stringify(person.addresses) };
}

export function personFromRow(row: PersonTable): Person {
  return { ...row, addresses: JSON.parse(row.addresses) };
}

export function bankAccountFromRow(row: BankAccountTable): BankAccount {
  return row;
}

/** The association with its purposes, in the order given ('' rows stand for none). */
export function businessBankAccountFromRow(
  row: BusinessBankAccountTable,
  purposes: { purpose: string; position: number }[],
): BusinessBankAccount {
  const ordered = [...purposes].sort((a, b) => a.position - b.position);
  return {
    ...row,
    bank_account_purposes: ordered.map((p) => p.purpose).filter((purpose) => purpose !== ""),
  };
}
