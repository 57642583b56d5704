/**
 * Table shapes as both databases hold them. Flags are integers (0/1) and times are ISO-8601 text
 * made by the application, so SQLite and PostgreSQL store byte-identical values.
 */
import type {
  MetadataEntryTable,
  MetadataLinkTable,
  MetadataTypeDefinitionTable,
} from "./metadata-schema.js";

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface AccountsTable {
  id: string;
  organization_id: string;
  environment: string;
  name: string | null;
  allow_multiple_applications_per_email: number;
  created_at: string;
  updated_at: string;
  // The data settings (005_account_data_settings.ts); lists are JSON arrays of strings.
  completion_requirements: string;
  locations_enabled: number;
  max_owners_per_business: number;
  max_bank_accounts_per_business: number;
  max_bank_accounts_per_subject_record: number;
  minimum_ownership_percentage: number | null;
  bank_account_purposes: string;
  location_bank_account_purposes: string;
  issued_identifier_types: string;
}

export interface CredentialsTable {
  api_key: string;
  organization_id: string;
  environment: string;
  name: string | null;
  secret_key_sealed: string;
  auth_token_hash: string;
  signature_policy: string;
  read_only: number;
  /** JSON array of account IDs, or null for all accounts. */
  account_ids: string | null;
  created_at: string;
  revoked_at: string | null;
  /** 005_account_data_settings.ts. */
  can_unmask: number;
}

export interface NamedEntityTable {
  id: string;
  account_id: string;
  name: string;
  created_at: string;
}

export interface SubjectRecordsTable {
  id: string;
  account_id: string;
  type: string;
  created_at: string;
  updated_at: string;
}

export interface WorkflowsTable {
  id: string;
  account_id: string;
  subject_record_id: string;
  type: string;
  state: string;
  applying_user_email: string | null;
  /** Lower-cased email, for the case-insensitive duplicate check. */
  applying_user_email_lower: string | null;
  applying_user_first_name: string | null;
  applying_user_last_name: string | null;
  pricing_model_id: string | null;
  equipment_collection_id: string | null;
  referrer_value: string | null;
  /**
   * Set to the lower-cased email while the account enforces unique applicant emails; a partial
   * unique index on (account_id, email_claim) makes the rule hold under concurrency.
   */
  email_claim: string | null;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventsTable {
  id: string;
  event_type: string;
  account_id: string;
  subject_record_id: string;
  workflow_id: string | null;
  workflow_type: string | null;
  actor_type: string;
  actor_id: string;
  created_at: string;
  /** JSON of the event's own fields, or null (005_account_data_settings.ts). */
  payload: string | null;
}

export interface NoncesTable {
  api_key: string;
  nonce: string;
  seen_at: string;
}

export interface IdempotencyKeysTable {
  api_key: string;
  idempotency_key: string;
  method: string;
  body_hash: string;
  state: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
  /** JSON of the committed unit of work's value (004_idempotency_result.ts). */
  result: string | null;
  trace_id: string | null;
}

export interface RateBucketsTable {
  api_key: string;
  tokens: number;
  refilled_ms: number;
  allowed: number;
}

export interface MasterKeyCheckTable {
  /** Always 1: the table holds one row. */
  id: number;
  sealed: string;
  created_at: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

// Subject-record data (006_subject_record_data.ts). JSON columns hold arrays ("[]" when unset) or objects.

export interface BusinessTable {
  id: string;
  subject_record_id: string;
  legal_name: string | null;
  operating_name: string | null;
  registration_type: string | null;
  tax_id: string | null;
  phone_number: string | null;
  email: string | null;
  /** JSON */
  industry_category_codes: string;
  /** JSON */
  addresses: string;
  /** JSON */
  websites: string;
  /** JSON */
  additional_fields: string;
  created_at: string;
  updated_at: string;
}

export interface SalesInfoTable {
  id: string;
  business_id: string;
  /** JSON */
  card_brands: string;
  /** JSON object, or null when unset. */
  sales_method: string | null;
  /** JSON */
  sales_amount: string;
  created_at: string;
  updated_at: string;
}

export interface PersonTable {
  id: string;
  subject_record_id: string;
  email: string | null;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  date_of_birth: string | null;
  tax_id: string | null;
  citizenship: string | null;
  phone_number: string | null;
  /** JSON */
  addresses: string;
  created_at: string;
  updated_at: string;
}

export interface PersonIssuedIdentifierTable {
  id: string;
  person_id: string;
  type: string;
  issued_number: string;
  created_at: string;
  updated_at: string;
}

export interface BankAccountTable {
  id: string;
  subject_record_id: string;
  bank_account_ownership_type: string | null;
  bank_account_type: string | null;
  bank_routing_number: string;
  bank_account_number: string;
  bank_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface BusinessOwnerTable {
  id: string;
  business_id: string;
  person_id: string;
  ownership_type: string;
  ownership_percentage: number | null;
  ownership_year_month: string | null;
  business_person_position: string | null;
  created_at: string;
  updated_at: string;
}

export interface BusinessBankAccountTable {
  id: string;
  business_id: string;
  bank_account_id: string;
  created_at: string;
  updated_at: string;
}

/** One row per purpose of an association, in the order given; '' stands for "no purpose". */
export interface BusinessBankAccountPurposeTable {
  business_bank_account_id: string;
  business_id: string;
  bank_account_id: string;
  purpose: string;
  position: number;
}

/** webhooks.md "Keys": numbered per account per day, so the key is (account_id, key_id). */
export interface WebhookKeysTable {
  account_id: string;
  key_id: string;
  /** The 32-byte shared secret sealed under the master key, bound to "<account_id>/<key_id>". */
  secret_sealed: string;
  status: "INACTIVE" | "ACTIVE" | "DELETED";
  created_at: string;
  activated_at: string | null;
  deleted_at: string | null;
}

/** webhooks.md "Endpoints": soft-deleted (`deleted_at`), active URLs unique per account. */
export interface WebhookConfigsTable {
  id: string;
  account_id: string;
  url: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** The outbox: one row per (event, endpoint), written in the event's transaction (007_webhooks.ts). */
export interface WebhookDeliveriesTable {
  event_id: string;
  config_id: string;
  account_id: string;
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  /** Attempts claimed so far: the next attempt's `retry_count`. */
  attempt_count: number;
  next_attempt_at: string;
  /** The worker holding the delivery while it sends, and until when (a crash lets it lapse). */
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** One row per attempt, numbered from 0 (its `retry_count`). */
export interface WebhookDeliveryAttemptsTable {
  event_id: string;
  config_id: string;
  attempt_number: number;
  key_id: string;
  url: string;
  started_at: string;
  finished_at: string | null;
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
}

/** The account document-type catalogue (data.md §11; 012_account_document_types.ts). */
export interface AccountDocumentTypesTable {
  id: string;
  account_id: string;
  document_type_code: string;
  document_name: string;
  status: string;
  default_requirement: string;
  /** JSON list of requirement texts */
  alternate_requirements: string;
  created_at: string;
  updated_at: string;
}

export interface DocumentTable {
  id: string;
  subject_record_id: string;
  file_name: string;
  /** bigint: PostgreSQL's driver answers it as a string. */
  file_size: number | string;
  content_type: string;
  upload_status: string;
  upload_deadline: string;
  security_token: string;
  hash: string | null;
  creator_name: string | null;
  creator_api_key: string;
  created_at: string;
  updated_at: string;
}

export interface DocumentChunkTable {
  document_id: string;
  chunk_index: number;
  bytes: Buffer;
}

export interface Database {
  organizations: OrganizationsTable;
  accounts: AccountsTable;
  credentials: CredentialsTable;
  pricing_models: NamedEntityTable;
  equipment_collections: NamedEntityTable;
  subject_records: SubjectRecordsTable;
  workflows: WorkflowsTable;
  events: EventsTable;
  nonces: NoncesTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_buckets: RateBucketsTable;
  master_key_check: MasterKeyCheckTable;
  schema_migrations: SchemaMigrationsTable;
  business: BusinessTable;
  sales_info: SalesInfoTable;
  person: PersonTable;
  person_issued_identifier: PersonIssuedIdentifierTable;
  bank_account: BankAccountTable;
  business_owner: BusinessOwnerTable;
  business_bank_account: BusinessBankAccountTable;
  business_bank_account_purpose: BusinessBankAccountPurposeTable;
  webhook_keys: WebhookKeysTable;
  webhook_configs: WebhookConfigsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  account_document_types: AccountDocumentTypesTable;
  location: LocationTable;
  business_location: BusinessLocationTable;
  location_bank_account: LocationBankAccountTable;
  location_bank_account_purpose: LocationBankAccountPurposeTable;
  metadata_type_definition: MetadataTypeDefinitionTable;
  metadata_entry: MetadataEntryTable;
  metadata_link: MetadataLinkTable;
  document: DocumentTable;
  document_chunk: DocumentChunkTable;
}

// Locations (009_locations.ts).

export interface LocationTable {
  id: string;
  subject_record_id: string;
  location_type: string | null;
  location_name: string | null;
  owner_name: string | null;
  owner_type: string | null;
  /** JSON object, or null when unset. */
  address: string | null;
  created_at: string;
  updated_at: string;
}

export interface BusinessLocationTable {
  id: string;
  business_id: string;
  location_id: string;
  created_at: string;
  updated_at: string;
}

export interface LocationBankAccountTable {
  id: string;
  location_id: string;
  bank_account_id: string;
  created_at: string;
  updated_at: string;
}

export interface LocationBankAccountPurposeTable {
  location_bank_account_id: string;
  location_id: string;
  bank_account_id: string;
  purpose: string;
  position: number;
}
