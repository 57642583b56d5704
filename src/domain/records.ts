/** The records the store keeps, in the shape the domain works with (booleans, arrays, ISO times). */
import type { AccountDataSettings } from "./account-settings.js";
import type { EntityEventType } from "./data-records.js";
import type { Environment } from "./environment.js";

export const WORKFLOW_TYPES = [
  "BUSINESS_APPLICATION",
  "ACCOUNT_PROVISIONING",
  "BUSINESS_UNDERWRITING",
] as const;
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

export const WORKFLOW_STATES = ["CREATED", "STARTED", "ENDED"] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const SUBJECT_RECORD_TYPES = ["BUSINESS", "PERSON"] as const;
export type SubjectRecordType = (typeof SUBJECT_RECORD_TYPES)[number];

export const SIGNATURE_POLICIES = ["strict", "compat"] as const;
export type SignaturePolicy = (typeof SIGNATURE_POLICIES)[number];

export const EVENT_TYPES = [
  "WORKFLOW_CREATED",
  "WORKFLOW_STARTED",
  "WORKFLOW_COMPLETED",
  "WORKFLOW_DELETED",
  "SENSITIVE_DATA_ACCESSED",
  "SUBJECT_RECORD_DELETED",
] as const;
/** Workflow events and the other events of data.md §13, then the entity events (data-records.ts). */
export type EventType = (typeof EVENT_TYPES)[number] | EntityEventType;

export interface Organization {
  id: string;
  name: string;
  created_at: string;
}

/** The account's own fields, then its data settings (account-settings.ts). */
export interface Account extends AccountDataSettings {
  id: string;
  organization_id: string;
  environment: Environment;
  name: string | null;
  allow_multiple_applications_per_email: boolean;
  created_at: string;
  updated_at: string;
}

export interface CredentialRecord {
  api_key: string;
  organization_id: string;
  environment: Environment;
  name: string | null;
  /** AES-256-GCM sealed secret key bytes (see auth/secret-box.ts). */
  secret_key_sealed: string;
  auth_token_hash: string;
  signature_policy: SignaturePolicy;
  read_only: boolean;
  /**
   * May pass `show_sensitive_data: true` (data.md §2.6). Always false for a read-only credential;
   * use `mayUnmask` (domain/sensitive-data.ts), which says so too.
   */
  can_unmask: boolean;
  /** null: every account of the organization in the credential's environment. */
  account_ids: string[] | null;
  created_at: string;
  revoked_at: string | null;
}

export interface NamedAccountEntity {
  id: string;
  account_id: string;
  name: string;
  created_at: string;
}

export interface SubjectRecord {
  id: string;
  account_id: string;
  type: SubjectRecordType;
  created_at: string;
  updated_at: string;
}

export interface ApplyingUser {
  email: string;
  first_name: string | null;
  last_name: string | null;
}

export interface BusinessApplicationDetails {
  applying_user: ApplyingUser;
  pricing_model_id: string | null;
  equipment_collection_id: string | null;
  referrer_value: string | null;
}

export interface Workflow {
  id: string;
  account_id: string;
  subject_record_id: string;
  type: WorkflowType;
  state: WorkflowState;
  /** Present for BUSINESS_APPLICATION, null for every other type. */
  details: BusinessApplicationDetails | null;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export type ActorType = "API_KEY" | "SYSTEM";

export interface EventRecord {
  id: string;
  event_type: EventType;
  account_id: string;
  subject_record_id: string;
  /** The workflow of a workflow event; null for the events of data.md §13 that are about none. */
  workflow_id: string | null;
  workflow_type: WorkflowType | null;
  actor_type: ActorType;
  actor_id: string;
  created_at: string;
  /**
   * The event's own fields beyond these, as its webhook payload carries them (data.md §13:
   * `method` and `entities` for SENSITIVE_DATA_ACCESSED); null when it has none. Never a value
   * of a field, so no sensitive value enters the event log.
   */
  payload: EventPayload | null;
}

/** JSON-shaped: stored as JSON text. */
export type EventPayload = { [key: string]: EventPayloadValue };
export type EventPayloadValue = string | number | boolean | null | EventPayloadValue[] | EventPayload;

/** Keyset position: the (created_at, id) of the last item of the previous page. */
export interface PagePosition {
  created_at: string;
  id: string;
}

export interface PageRequest {
  limit: number;
  after?: PagePosition;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}
