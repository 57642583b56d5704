/**
 * Request and response schemas of the structured values of subject-record data: addresses
 * (data.md §2.4), a business's industry codes, websites and additional fields (§4.1), and sales
 * info's card brands, sales method and sales amounts (§4.6). What JSON Schema cannot state
 * (repeated items, postal code against country, sum = 100, P.O. boxes) is in issues.ts.
 */
import { type Static, Type } from "@sinclair/typebox";
import { BUSINESS_ADDRESS_TYPES, PERSON_ADDRESS_TYPES } from "../../domain/enums.js";
import { Nullable, Strict, StringEnum } from "../schema.js";
import {
  CardBrand,
  Country,
  Currency,
  IndustryCategoryCodeType,
  Money,
  OptionalNullable,
  PostalCode,
  SalesAmountType,
  TextN,
  Url,
  UsState,
} from "./values.js";

const addressFields = {
  line1: OptionalNullable(TextN(100, "Address line 1")),
  line2: OptionalNullable(TextN(100, "Address line 2")),
  city: OptionalNullable(TextN(100, "City")),
  state: OptionalNullable(UsState),
  postal_code: OptionalNullable(PostalCode),
  country: OptionalNullable(Country),
};

/** An item of `addresses`: `address_type` (required) one of `types`, every other field optional. */
export function TypedAddress<const T extends readonly string[]>(types: T, title: string) {
  return Strict(
    { address_type: StringEnum(types, "Address type, at most one address per type"), ...addressFields },
    { description: "Address; every field but address_type may be null", title },
  );
}

export const BusinessAddresses = Type.Array(TypedAddress(BUSINESS_ADDRESS_TYPES, "BusinessAddressInput"), {
  description: "Addresses, at most one per type; a LEGAL address must not be a P.O. box",
});
export const PersonAddresses = Type.Array(TypedAddress(PERSON_ADDRESS_TYPES, "PersonAddressInput"), {
  description: "Addresses, at most one per type",
});
/** `location.address`: no `address_type` (sending one is an unknown field). */
export const Address = Strict(addressFields, {
  description: "Address; every field may be null",
  title: "AddressInput",
});
export type AddressInput = Static<typeof Address>;
export type TypedAddressInput = Static<ReturnType<typeof TypedAddress>>;

export const IndustryCategoryCodes = Type.Array(
  Strict(
    {
      type: IndustryCategoryCodeType,
      code: Type.String({ format: "mcc", description: "For MCC: 4 digits" }),
    },
    { title: "IndustryCategoryCodeInput" },
  ),
  { maxItems: 5, description: "At most 5 industry codes, no (type, code) repeated" },
);

export const Websites = Type.Array(Url, { maxItems: 10, description: "At most 10 URLs, none repeated" });

export const AdditionalFields = Type.Array(
  Strict(
    {
      field_name: Type.String({
        format: "field-name",
        description: "^[a-z][a-z0-9_]{0,63}$, unique in the array",
      }),
      field_value: TextN(255),
    },
    { title: "AdditionalFieldInput" },
  ),
  { maxItems: 50, description: "At most 50 named values, no field_name repeated" },
);

export const CardBrands = Type.Array(CardBrand, { description: "Card brands, none repeated" });

const channel = (description: string) =>
  Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description }));
export const SalesMethod = Type.Object(
  {
    retail: channel("Percentage of sales in person"),
    telephone: channel("Percentage of sales by telephone"),
    online: channel("Percentage of sales online"),
    keyed: channel("Percentage of sales keyed in"),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    title: "SalesMethodInput",
    description:
      "Sales by channel in percent: at least one key; a key left out counts as 0; the sum is exactly 100",
  },
);
export type SalesMethodInput = Static<typeof SalesMethod>;

export const SalesAmounts = Type.Array(
  Strict({ type: SalesAmountType, value: Money, currency: Currency }, { title: "SalesAmountInput" }),
  {
    maxItems: 4,
    description: "At most 4 amounts, no type repeated",
  },
);

// Response shapes: every key present, unset as null (data.md §2.2).
const addressOutFields = {
  line1: Nullable(Type.String()),
  line2: Nullable(Type.String()),
  city: Nullable(Type.String()),
  state: Nullable(Type.String()),
  postal_code: Nullable(Type.String()),
  country: Nullable(Type.String()),
};
export const AddressOut = Type.Object(addressOutFields, { title: "Address" });
export const TypedAddressOut = Type.Object(
  { address_type: Type.String(), ...addressOutFields },
  { title: "TypedAddress" },
);
export const SalesMethodOut = Type.Object(
  {
    retail: Type.Integer(),
    telephone: Type.Integer(),
    online: Type.Integer(),
    keyed: Type.Integer(),
  },
  { title: "SalesMethod" },
);
export type AddressOutput = Static<typeof AddressOut>;

/** An address as stored and answered: every key present, unset as null. */
export function fullAddress(input: AddressInput): AddressOutput {
  return {
    line1: input.line1 ?? null,
    line2: input.line2 ?? null,
    city: input.city ?? null,
    state: input.state ?? null,
    postal_code: input.postal_code ?? null,
    country: input.country ?? null,
  };
}

/** A sales method as stored and answered: all four channels, a missing one as 0. */
export function fullSalesMethod(input: SalesMethodInput): Static<typeof SalesMethodOut> {
  return {
    retail: input.retail ?? 0,
    telephone: input.telephone ?? 0,
    online: input.online ?? 0,
    keyed: input.keyed ?? 0,
  };
}
