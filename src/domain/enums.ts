/**
 * The enumerations of subject-record data (data.md §2.5), values in the spec's order. Values are
 * case-sensitive. The "+ account" ones (bank-account purposes, location bank-account purposes,
 * issued-identifier types) list only the built-in values: an account may add enum tokens, checked
 * against the account's set at step 4, not by the request schema.
 */

export const BUSINESS_REGISTRATION_TYPES = [
  "SOLE_PROPRIETORSHIP",
  "PARTNERSHIP",
  "LLC",
  "CORPORATION",
  "S_CORPORATION",
  "NON_PROFIT",
  "GOVERNMENT",
] as const;
export const BUSINESS_ADDRESS_TYPES = ["LEGAL", "MAILING"] as const;
export const PERSON_ADDRESS_TYPES = ["RESIDENTIAL", "MAILING"] as const;
export const INDUSTRY_CATEGORY_CODE_TYPES = ["MCC"] as const;
/** Also written BUSINESS_OWNERSHIP_TYPES. */
export const BENEFICIAL_OWNERSHIP_TYPES = ["CONTROL_PRONG", "OWNERSHIP_PRONG"] as const;
export const BUSINESS_PERSON_POSITIONS = [
  "PRESIDENT",
  "VICE_PRESIDENT",
  "CEO",
  "CFO",
  "COO",
  "SECRETARY",
  "TREASURER",
  "DIRECTOR",
  "OWNER",
  "PARTNER",
  "MEMBER",
  "MANAGER",
  "OTHER",
] as const;
export const BANK_ACCOUNT_TYPES = ["CHECKING", "SAVINGS"] as const;
export const BANK_ACCOUNT_OWNERSHIP_TYPES = ["BUSINESS", "PERSONAL"] as const;
/** Built in; the account may add more (§3.6). */
export const BANK_ACCOUNT_PURPOSES = ["PRIMARY", "FEES", "SETTLEMENT"] as const;
/** Built in; the account may add more (§3.6). */
export const LOCATION_BANK_ACCOUNT_PURPOSES = ["FEES", "SETTLEMENT"] as const;
export const LOCATION_TYPES = ["PROPERTY", "STOREFRONT", "OFFICE", "WAREHOUSE", "OTHER"] as const;
export const LOCATION_OWNER_TYPES = ["BUSINESS", "PERSON", "OTHER"] as const;
export const CARD_BRANDS = ["AMEX"] as const;
export const CURRENCIES = ["USD"] as const;
export const SALES_AMOUNT_TYPES = [
  "AVERAGE_INDIVIDUAL_SALE",
  "AVERAGE_MONTHLY_CREDIT_SALES",
  "AVERAGE_YEARLY_CREDIT_SALES",
  "HIGHEST_TICKET_SALE",
] as const;
/** Built in; the account may add more (§3.6); a type outside the account's set is SRV, step 9. */
export const PERSON_ISSUED_IDENTIFIER_TYPES = [
  "MEDICAL_LICENSE",
  "DRIVERS_LICENSE",
  "PASSPORT",
  "STATE_ID",
] as const;
export const METADATA_FIELD_TYPES = ["string", "integer", "boolean"] as const;
export const METADATA_DEFINITION_FIELDS_FORMAT = ["ipv4", "ipv6", "email", "uri", "date"] as const;
export const METADATA_TYPE_OWNERS = ["ACCOUNT", "SYSTEM"] as const;
/** The extension of `file_name`, compared case-insensitively. */
export const DOCUMENT_FILE_TYPES = ["pdf", "jpg", "jpeg", "png"] as const;
export const DOCUMENT_UPLOAD_STATUSES = ["PENDING", "COMPLETED", "EXPIRED"] as const;
export const ACCOUNT_DOCUMENT_TYPE_STATUSES = ["ACTIVE", "INACTIVE"] as const;
/** The seed of every account's document-type catalogue (§11). */
export const SEEDED_DOCUMENT_TYPE_CODES = [
  "BANK_STATEMENTS",
  "VOIDED_CHECK",
  "BUSINESS_LICENSE",
  "ARTICLES_OF_INCORPORATION",
  "GOVERNMENT_ID",
  "PROOF_OF_ADDRESS",
  "TAX_RETURN",
  "PROCESSING_STATEMENTS",
] as const;
export const WORKFLOW_REQUIREMENTS = [
  "STARTED_WORKFLOW_REQUIRED",
  "FIELDS_REQUIRED",
  "ENTITY_REQUIRED",
] as const;

export type BusinessAddressType = (typeof BUSINESS_ADDRESS_TYPES)[number];
export type PersonAddressType = (typeof PERSON_ADDRESS_TYPES)[number];
export type AddressType = BusinessAddressType | PersonAddressType;
