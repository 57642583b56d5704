/**
 * Subject-record data as the domain works with it (data.md §4): arrays are arrays (`[]` when
 * unset), objects are objects, an unset scalar is null. Stored as rows by the store (rows.ts).
 */
import type { AddressValues } from "./addresses.js";

/** The `entity_type` values of errors, events and requirement items (data.md §2.7). */
export const ENTITY_TYPES = [
  "Business",
  "Person",
  "Bank Account",
  "Location",
  "Business Owner",
  "Business Bank Account",
  "Business Location",
  "Location Bank Account",
  "Sales Info",
  "Issued Identifier",
  "Metadata",
  "Metadata Type",
  "Document",
  "Subject Record",
  "Workflow",
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** The events that name the entity or association written (data.md §13). */
export const ENTITY_EVENT_TYPES = [
  "BUSINESS_CREATED",
  "BUSINESS_UPDATED",
  "BUSINESS_DELETED",
  "BUSINESS_OWNER_ADDED",
  "BUSINESS_OWNER_UPDATED",
  "BUSINESS_OWNER_REMOVED",
  "BUSINESS_BANK_ACCOUNT_ADDED",
  "BUSINESS_BANK_ACCOUNT_UPDATED",
  "BUSINESS_BANK_ACCOUNT_REMOVED",
  "BUSINESS_LOCATION_ADDED",
  "BUSINESS_LOCATION_REMOVED",
  "SALES_INFO_CREATED",
  "SALES_INFO_UPDATED",
  "PERSON_CREATED",
  "PERSON_UPDATED",
  "PERSON_DELETED",
  "ISSUED_IDENTIFIER_CREATED",
  "ISSUED_IDENTIFIER_UPDATED",
  "BANK_ACCOUNT_CREATED",
  "BANK_ACCOUNT_UPDATED",
  "BANK_ACCOUNT_DELETED",
  "LOCATION_CREATED",
  "LOCATION_UPDATED",
  "LOCATION_DELETED",
  "LOCATION_BANK_ACCOUNT_ADDED",
  "LOCATION_BANK_ACCOUNT_REMOVED",
  "METADATA_CREATED",
  "METADATA_LINKED",
  "DOCUMENT_CREATED",
  "DOCUMENT_UPLOADED",
] as const;
export type EntityEventType = (typeof ENTITY_EVENT_TYPES)[number];

/** Created and last changed; `updated_at` equals `created_at` until the first change. */
export interface Timestamps {
  created_at: string;
  updated_at: string;
}

/** An address object (data.md §2.4); `address_type` only in `addresses` items. Keys may be absent. */
export interface Address extends AddressValues {
  address_type?: string;
}

export interface IndustryCategoryCode {
  type: string;
  code: string;
}

export interface AdditionalField {
  field_name: string;
  field_value: string;
}

/** What a client may set on a business (data.md §4.1). */
export interface BusinessFields {
  legal_name: string | null;
  operating_name: string | null;
  registration_type: string | null;
  tax_id: string | null;
  phone_number: string | null;
  email: string | null;
  industry_category_codes: IndustryCategoryCode[];
  addresses: Address[];
  websites: string[];
  additional_fields: AdditionalField[];
}

export interface Business extends BusinessFields, Timestamps {
  id: string;
  subject_record_id: string;
  /** Read with the business from its sales info; not stored on the business row. */
  sales_info_id: string | null;
}

/** Each channel's share in percent; a channel left out on input is 0 (data.md §4.6). */
export interface SalesMethod {
  retail: number;
  telephone: number;
  online: number;
  keyed: number;
}

export interface SalesAmount {
  type: string;
  value: number;
  currency: string;
}

export interface SalesInfoFields {
  card_brands: string[];
  sales_method: SalesMethod | null;
  sales_amount: SalesAmount[];
}

export interface SalesInfo extends SalesInfoFields, Timestamps {
  id: string;
  business_id: string;
  /** The business's subject record, read through the business; not stored on the row. */
  subject_record_id: string;
}

export interface PersonFields {
  email: string | null;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  date_of_birth: string | null;
  tax_id: string | null;
  citizenship: string | null;
  phone_number: string | null;
  addresses: Address[];
}

export interface Person extends PersonFields, Timestamps {
  id: string;
  subject_record_id: string;
}

export interface BankAccountFields {
  bank_account_ownership_type: string | null;
  bank_account_type: string | null;
  bank_routing_number: string;
  bank_account_number: string;
  bank_name: string | null;
}

export interface BankAccount extends BankAccountFields, Timestamps {
  id: string;
  subject_record_id: string;
}

export interface BusinessOwner extends Timestamps {
  id: string;
  business_id: string;
  person_id: string;
  /** Never null: unset means OWNERSHIP_PRONG (data.md §5.2). */
  ownership_type: string;
  ownership_percentage: number | null;
  ownership_year_month: string | null;
  business_person_position: string | null;
}

export interface BusinessBankAccount extends Timestamps {
  id: string;
  business_id: string;
  bank_account_id: string;
  /** In the order given; `[]` when none. */
  bank_account_purposes: string[];
}

export interface IssuedIdentifierFields {
  type: string;
  issued_number: string;
}

export interface IssuedIdentifier extends IssuedIdentifierFields, Timestamps {
  id: string;
  person_id: string;
  /** The person's subject record, read through the person; not stored on the row. */
  subject_record_id: string;
}

/** A business with every field unset: what business.create makes without a `business` wrapper. */
export const UNSET_BUSINESS_FIELDS: BusinessFields = {
  legal_name: null,
  operating_name: null,
  registration_type: null,
  tax_id: null,
  phone_number: null,
  email: null,
  industry_category_codes: [],
  addresses: [],
  websites: [],
  additional_fields: [],
};

export const UNSET_SALES_INFO_FIELDS: SalesInfoFields = {
  card_brands: [],
  sales_method: null,
  sales_amount: [],
};

export const UNSET_PERSON_FIELDS: PersonFields = {
  email: null,
  first_name: null,
  middle_name: null,
  last_name: null,
  date_of_birth: null,
  tax_id: null,
  citizenship: null,
  phone_number: null,
  addresses: [],
};
