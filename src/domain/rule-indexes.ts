/**
 * The database indexes that enforce business rules, and the domain error each one means. Both
 * adapters name a refused write by its index, and this table turns it into the API's error.
 */
import { type ApiError, notFound } from "../errors.js";
import { duplicateEmailError, subjectRecordLimitError } from "./create-workflow.js";
import {
  duplicateBankAccountAssociation,
  duplicatedIssuedIdentifier,
  duplicateMetadataType,
  duplicateOwnerAssociation,
  maxBusinessLimit,
  salesInfoAlreadyExists,
  singlePrimaryBankAccount,
} from "./data-errors.js";
import { duplicateLocationAssociation, duplicateLocationBankAccountAssociation } from "./location-errors.js";
import { urlAlreadyExists } from "./webhook-configs.js";
import { activationRaced } from "./webhook-keys.js";

export const RULE_INDEX_ERRORS: Record<string, () => ApiError> = {
  workflows_one_ba_per_subject_record: subjectRecordLimitError,
  workflows_unique_email_claim: duplicateEmailError,
  // Subject-record data (006_subject_record_data.ts, data.md §3.4).
  business_one_per_subject_record: maxBusinessLimit,
  sales_info_one_per_business: salesInfoAlreadyExists,
  business_owner_once_per_person: duplicateOwnerAssociation,
  business_bank_account_one_primary: singlePrimaryBankAccount,
  business_bank_account_purpose_once: duplicateBankAccountAssociation,
  person_issued_identifier_one_per_type: duplicatedIssuedIdentifier,
  // Locations (009_locations.ts, data.md §3.4).
  business_location_once: duplicateLocationAssociation,
  location_bank_account_purpose_once: duplicateLocationBankAccountAssociation,
  // Metadata (010_metadata.ts): the account lock serializes definitions, so this is a backstop.
  metadata_type_definition_unique_name: duplicateMetadataType,
  // Webhooks (007_webhooks.ts): the account lock serializes activations, so the first is a backstop.
  webhook_keys_one_active: activationRaced,
  webhook_configs_unique_url: urlAlreadyExists,
  // A foreign key (PostgreSQL's name for it): workflow.create losing to subjectRecord.delete (§12.2).
  workflows_subject_record_id_fkey: () => notFound("Subject Record", "workflow.subject_record_id"),
};
