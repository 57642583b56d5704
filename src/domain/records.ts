/** The records the store keeps, in the shape the domain works with (booleans, arrays, ISO times). */
import type { EntityEventType, EntityType } from "./data-records.js";
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

export const WORKFLOW_EVENT_TYPES = [
  "WORKFLOW_CREATED",
  "WORKFLOW_STARTED",
  "WORKFLOW_COMPLETED",
  "WORKFLOW_DELETED",
] as const;
export type WorkflowEventType = (typeof WORKFLOW_EVENT_TYPES)[number];
export type EventType = WorkflowEventType | EntityEventType;

export interface Organization {
  id: string;
  name: string;
  created_at: string;
}

export interface Account {
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

interface EventBase {
  id: string;
  account_id: string;
  subject_record_id: string;
  actor_type: ActorType;
  actor_id: string;
  created_at: string;
}

/** A workflow's change: its payload names the workflow (webhooks.md). */
export interface WorkflowEventRecord extends EventBase {
  event_type: WorkflowEventType;
  workflow_id: string;
  workflow_type: WorkflowType;
}

/** A write to subject-record data: its payload names the entity written (data.md §13). */
export interface EntityEventRecord extends EventBase {
  event_type: EntityEventType;
  entity_type: EntityType;
  entity_id: string;
  /** Association events (and METADATA_LINKED) only: the IDs linked. */
  linked_entity_ids?: string[];
  /** `*_UPDATED` only: the top-level fields the update's wrapper held, in byte order. */
  fields?: string[];
}

export type EventRecord = WorkflowEventRecord | EntityEventRecord;

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
