/**
 * The public objects of subject-record data (data.md §4): their response schemas and how records
 * become them. Every documented key is present; an unset scalar is null, an unset array `[]`.
 * Sensitive values are masked unless the presenter is told `show` (data.md §2.6, `revealOrMask`).
 */
import { Type } from "@sinclair/typebox";
import type {
  Address,
  BankAccount,
  Business,
  BusinessBankAccount,
  BusinessOwner,
  IssuedIdentifier,
  Person,
  SalesInfo,
} from "../domain/data-records.js";
import { revealOrMask } from "../domain/sensitive-data.js";
import { fullAddress, SalesMethodOut, TypedAddressOut } from "./formats/index.js";
import { Nullable, Timestamp } from "./schema.js";

const Text = Nullable(Type.String());

/** An item of `addresses`, every key present (unset as null). */
export function presentTypedAddress(address: Address) {
  return { address_type: address.address_type ?? "", ...fullAddress(address) };
}

export const BusinessObject = Type.Object(
  {
    business_id: Type.String(),
    subject_record_id: Type.String(),
    legal_name: Text,
    operating_name: Text,
    registration_type: Text,
    tax_id: Text,
    phone_number: Text,
    email: Text,
    industry_category_codes: Type.Array(
      Type.Object({ type: Type.String(), code: Type.String() }, { title: "IndustryCategoryCode" }),
    ),
    addresses: Type.Array(TypedAddressOut),
    websites: Type.Array(Type.String()),
    additional_fields: Type.Array(
      Type.Object({ field_name: Type.String(), field_value: Type.String() }, { title: "AdditionalField" }),
    ),
    sales_info_id: Text,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "Business" },
);

export function presentBusiness(business: Business, show: boolean) {
  return {
    business_id: business.id,
    subject_record_id: business.subject_record_id,
    legal_name: business.legal_name,
    operating_name: business.operating_name,
    registration_type: business.registration_type,
    tax_id: revealOrMask(business.tax_id, show),
    phone_number: business.phone_number,
    email: business.email,
    industry_category_codes: business.industry_category_codes,
    addresses: business.addresses.map(presentTypedAddress),
    websites: business.websites,
    additional_fields: business.additional_fields,
    sales_info_id: business.sales_info_id,
    created_at: business.created_at,
    updated_at: business.updated_at,
  };
}

export const SalesInfoObject = Type.Object(
  {
    sales_info_id: Type.String(),
    business_id: Type.String(),
    card_brands: Type.Array(Type.String()),
    sales_method: Nullable(SalesMethodOut),
    sales_amount: Type.Array(
      Type.Object(
        { type: Type.String(), value: Type.Number(), currency: Type.String() },
        { title: "SalesAmount" },
      ),
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "SalesInfo" },
);

export function presentSalesInfo(info: SalesInfo) {
  return {
    sales_info_id: info.id,
    business_id: info.business_id,
    card_brands: info.card_brands,
    sales_method: info.sales_method,
    sales_amount: info.sales_amount,
    created_at: info.created_at,
    updated_at: info.updated_at,
  };
}

export const PersonObject = Type.Object(
  {
    person_id: Type.String(),
    subject_record_id: Type.String(),
    email: Text,
    first_name: Text,
    middle_name: Text,
    last_name: Text,
    date_of_birth: Text,
    tax_id: Text,
    citizenship: Text,
    phone_number: Text,
    addresses: Type.Array(TypedAddressOut),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "Person" },
);

export function presentPerson(person: Person, show: boolean) {
  return {
    person_id: person.id,
    subject_record_id: person.subject_record_id,
    email: person.email,
    first_name: person.first_name,
    middle_name: person.middle_name,
    last_name: person.last_name,
    date_of_birth: person.date_of_birth,
    tax_id: revealOrMask(person.tax_id, show),
    citizenship: person.citizenship,
    phone_number: person.phone_number,
    addresses: person.addresses.map(presentTypedAddress),
    created_at: person.created_at,
    updated_at: person.updated_at,
  };
}

export const BankAccountObject = Type.Object(
  {
    bank_account_id: Type.String(),
    subject_record_id: Type.String(),
    bank_account_ownership_type: Text,
    bank_account_type: Text,
    bank_routing_number: Type.String(),
    bank_account_number: Type.String(),
    bank_name: Text,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "BankAccount" },
);

export function presentBankAccount(account: BankAccount, show: boolean) {
  return {
    bank_account_id: account.id,
    subject_record_id: account.subject_record_id,
    bank_account_ownership_type: account.bank_account_ownership_type,
    bank_account_type: account.bank_account_type,
    bank_routing_number: account.bank_routing_number,
    // Required, so never null.
    bank_account_number: revealOrMask(account.bank_account_number, show) ?? "",
    bank_name: account.bank_name,
    created_at: account.created_at,
    updated_at: account.updated_at,
  };
}

export const BusinessOwnerObject = Type.Object(
  {
    business_owner_id: Type.String(),
    business_id: Type.String(),
    person_id: Type.String(),
    ownership_type: Type.String(),
    ownership_percentage: Nullable(Type.Integer()),
    ownership_year_month: Text,
    business_person_position: Text,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "BusinessOwner" },
);

export function presentBusinessOwner(owner: BusinessOwner) {
  return {
    business_owner_id: owner.id,
    business_id: owner.business_id,
    person_id: owner.person_id,
    ownership_type: owner.ownership_type,
    ownership_percentage: owner.ownership_percentage,
    ownership_year_month: owner.ownership_year_month,
    business_person_position: owner.business_person_position,
    created_at: owner.created_at,
    updated_at: owner.updated_at,
  };
}

export const BusinessBankAccountObject = Type.Object(
  {
    business_bank_account_id: Type.String(),
    business_id: Type.String(),
    bank_account_id: Type.String(),
    bank_account_purposes: Type.Array(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "BusinessBankAccount" },
);

export function presentBusinessBankAccount(association: BusinessBankAccount) {
  return {
    business_bank_account_id: association.id,
    business_id: association.business_id,
    bank_account_id: association.bank_account_id,
    bank_account_purposes: association.bank_account_purposes,
    created_at: association.created_at,
    updated_at: association.updated_at,
  };
}

export const IssuedIdentifierObject = Type.Object(
  {
    issued_identifier_id: Type.String(),
    person_id: Type.String(),
    type: Type.String(),
    issued_number: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "IssuedIdentifier" },
);

export function presentIssuedIdentifier(identifier: IssuedIdentifier) {
  return {
    issued_identifier_id: identifier.id,
    person_id: identifier.person_id,
    type: identifier.type,
    issued_number: identifier.issued_number,
    created_at: identifier.created_at,
    updated_at: identifier.updated_at,
  };
}
