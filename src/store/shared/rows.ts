/** Conversions between table rows and domain records (flags, JSON lists, flattened details). */
import type { Environment } from "../../domain/environment.js";
import type {
  Account,
  CredentialRecord,
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
  CredentialsTable,
  EventsTable,
  SubjectRecordsTable,
  WorkflowsTable,
} from "./schema.js";

export const toFlag = (value: boolean): number => (value ? 1 : 0);

export function accountFromRow(row: AccountsTable): Account {
  return {
    ...row,
    environment: row.environment as Environment,
    allow_multiple_applications_per_email: row.allow_multiple_applications_per_email === 1,
  };
}

export function credentialFromRow(row: CredentialsTable): CredentialRecord {
  return {
    ...row,
    environment: row.environment as Environment,
    signature_policy: row.signature_policy as SignaturePolicy,
    read_only: row.read_only === 1,
    account_ids: row.account_ids === null ? null : (JSON.parse(row.account_ids) as string[]),
  };
}

export function credentialToRow(record: CredentialRecord): CredentialsTable {
  return {
    ...record,
    read_only: toFlag(record.read_only),
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

export function eventFromRow(row: EventsTable): EventRecord {
  return row as EventRecord;
}
