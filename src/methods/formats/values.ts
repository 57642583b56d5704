/**
 * TypeBox schemas for the value formats of data.md §2.4 and the enumerations of §2.5. Each carries
 * a Vetted `format` (rules.ts) where JSON Schema cannot state the rule, and a description for the
 * OpenAPI document. Build optional and nullable variants with `Optional` / `OptionalNullable`.
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import * as E from "../../domain/enums.js";
import { Nullable, StringEnum } from "../schema.js";
import type { ValueFormatName } from "./rules.js";

function Formatted(format: ValueFormatName, description: string, extra: object = {}) {
  return Type.String({ format, description, ...extra });
}

/** text-N: 1–N code points, at least one not whitespace, no control characters. */
export function TextN(n: 100 | 255 | 500 | 1000, description?: string) {
  return Type.String({
    minLength: 1,
    maxLength: n,
    format: "text",
    description: description ?? `Text of 1 to ${n} characters, not only whitespace, no control characters`,
  });
}

export const UsPhone = Formatted(
  "us-phone",
  "US phone number: 10 digits, no punctuation (NANP area code and exchange, such as 2025550143)",
);
export const TaxId = Formatted("tax-id", "Tax ID (EIN, SSN or ITIN): 9 digits, no dashes");
export const DateOfBirth = Formatted(
  "date-of-birth",
  "Date of birth YYYY-MM-DD (UTC): not after today, not more than 130 years before it",
);
export const YearMonth = Formatted("year-month", "Month YYYY-MM, from 1900-01 to the current UTC month");
export const RoutingNumber = Formatted(
  "routing-number",
  "ABA routing number: 9 digits with a valid check digit",
);
export const BankAccountNumber = Formatted("bank-account-number", "Bank account number: 4 to 17 digits");
export const Url = Formatted(
  "web-url",
  "Absolute http:// or https:// URL, at most 2048 characters, host with a dot, no user-info",
);
export const Country = Formatted("country", "ISO 3166-1 alpha-2 country code, upper case (US, GB)");
export const UsState = Formatted("us-state", "USPS state code: the 50 states, DC, AS, GU, MP, PR, VI");
export const PostalCode = Formatted(
  "postal-code",
  "Postal code: NNNNN or NNNNN-NNNN when the address's country is absent or US; otherwise 1 to 10 letters, digits, spaces or hyphens",
);
/** An issued identifier's number (data.md §6.1): 1–50 printable characters, no edge whitespace. */
export const IssuedNumber = Type.String({
  minLength: 1,
  maxLength: 50,
  format: "issued-number",
  description: "1 to 50 printable characters, no control characters, no leading or trailing space",
});
export const EnumToken = Formatted("enum-token", "Enumeration token: ^[A-Z][A-Z0-9_]{0,49}$");

/** A JSON integer 0–100 (`45.5` and `"45"` are refused). */
export const Percentage = Type.Integer({ minimum: 0, maximum: 100, description: "Integer percentage 0–100" });

/** A JSON number 0 … 1 000 000 000 000 with at most 2 decimal places. */
export const Money = Type.Number({
  minimum: 0,
  maximum: 1_000_000_000_000,
  format: "money",
  description: "Amount from 0 to 1000000000000, at most 2 decimal places",
});

/** Optional: the key may be left out. */
export const Optional = <T extends TSchema>(schema: T) => Type.Optional(schema);

/**
 * Optional and nullable: left out or `null` means unset on create, unchanged / unset on update
 * (data.md §2.2, §2.3). Use it for every *nullable* field.
 */
export const OptionalNullable = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export type Nullish<T extends TSchema> = Static<T> | null | undefined;

// The §2.5 enumerations with closed sets (the "+ account" ones take any EnumToken at step 1).
export const BusinessRegistrationType = StringEnum(
  E.BUSINESS_REGISTRATION_TYPES,
  "Business registration type",
);
export const BusinessAddressType = StringEnum(E.BUSINESS_ADDRESS_TYPES, "Business address type");
export const PersonAddressType = StringEnum(E.PERSON_ADDRESS_TYPES, "Person address type");
export const IndustryCategoryCodeType = StringEnum(E.INDUSTRY_CATEGORY_CODE_TYPES, "Industry code type");
export const BeneficialOwnershipType = StringEnum(E.BENEFICIAL_OWNERSHIP_TYPES, "Beneficial ownership type");
export const BusinessPersonPosition = StringEnum(E.BUSINESS_PERSON_POSITIONS, "Position in the business");
export const BankAccountType = StringEnum(E.BANK_ACCOUNT_TYPES, "Bank account type");
export const BankAccountOwnershipType = StringEnum(E.BANK_ACCOUNT_OWNERSHIP_TYPES, "Bank account ownership");
export const LocationType = StringEnum(E.LOCATION_TYPES, "Location type");
export const LocationOwnerType = StringEnum(E.LOCATION_OWNER_TYPES, "Location owner type");
export const CardBrand = StringEnum(E.CARD_BRANDS, "Card brand beyond Visa and Mastercard");
export const Currency = StringEnum(E.CURRENCIES, "Currency");
export const SalesAmountType = StringEnum(E.SALES_AMOUNT_TYPES, "Sales amount type");
/** Purposes and issued-identifier types the account can extend: an enum token, judged at step 4. */
export const AccountExtensibleValue = (description: string) =>
  Type.String({ format: "enum-token", description: `${description} (built-in values or the account's own)` });
