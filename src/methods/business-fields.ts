/**
 * What a client sends for a business and its sales info (data.md §4.1, §4.6). Create and update
 * take the same wrapper: every field optional and nullable — on create null means "not set", on
 * update it unsets (§2.2, §2.3).
 *
 * TODO(formats): the values below are stand-ins built from schema.ts. Swap them for the §2.4
 * formats of src/methods/formats* (text-N, US phone, tax id, URL, country, state, postal code, the
 * address object with its cross-field rules, MCC code, money value, the sales_method sum, unique
 * items) and the enumerations of src/domain/enums.ts when those land on main; the schemas' shape
 * (which fields, optional, nullable) stays.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { SalesInfoFields } from "../domain/data-records.js";
import type { UpdateWrapper } from "../domain/updates.js";
import { badRequest } from "../errors.js";
import { Email, Nullable, Strict, StringEnum, Text } from "./schema.js";

// TODO(formats): from src/domain/enums.ts.
const BUSINESS_REGISTRATION_TYPES = [
  "SOLE_PROPRIETORSHIP",
  "PARTNERSHIP",
  "LLC",
  "CORPORATION",
  "S_CORPORATION",
  "NON_PROFIT",
  "GOVERNMENT",
] as const;
const BUSINESS_ADDRESS_TYPES = ["LEGAL", "MAILING"] as const;
const INDUSTRY_CATEGORY_CODE_TYPES = ["MCC"] as const;
const CARD_BRANDS = ["AMEX"] as const;
const SALES_AMOUNT_TYPES = [
  "AVERAGE_INDIVIDUAL_SALE",
  "AVERAGE_MONTHLY_CREDIT_SALES",
  "AVERAGE_YEARLY_CREDIT_SALES",
  "HIGHEST_TICKET_SALE",
] as const;
const CURRENCIES = ["USD"] as const;

// TODO(formats): the §2.4 formats.
const Text100 = Text(100);
const TaxId = Type.String({ pattern: "^[0-9]{9}$", description: "Tax ID: nine digits, no dashes" });
const UsPhone = Type.String({ pattern: "^[2-9][0-9]{2}[2-9][0-9]{6}$", description: "US phone number" });
const Url = Type.String({ pattern: "^https?://", maxLength: 2048, description: "http:// or https:// URL" });

const BusinessAddress = Strict({
  address_type: StringEnum(BUSINESS_ADDRESS_TYPES),
  line1: Type.Optional(Nullable(Text100)),
  line2: Type.Optional(Nullable(Text100)),
  city: Type.Optional(Nullable(Text100)),
  state: Type.Optional(Nullable(Type.String({ pattern: "^[A-Z]{2}$" }))),
  postal_code: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 10 }))),
  country: Type.Optional(Nullable(Type.String({ pattern: "^[A-Z]{2}$" }))),
});

export const BusinessInput = Strict({
  legal_name: Type.Optional(Nullable(Text(255))),
  operating_name: Type.Optional(Nullable(Text(255))),
  registration_type: Type.Optional(Nullable(StringEnum(BUSINESS_REGISTRATION_TYPES))),
  tax_id: Type.Optional(Nullable(TaxId)),
  phone_number: Type.Optional(Nullable(UsPhone)),
  email: Type.Optional(Nullable(Email)),
  industry_category_codes: Type.Optional(
    Nullable(
      Type.Array(
        Strict({
          type: StringEnum(INDUSTRY_CATEGORY_CODE_TYPES),
          code: Type.String({ pattern: "^[0-9]{4}$" }),
        }),
        { maxItems: 5 },
      ),
    ),
  ),
  addresses: Type.Optional(
    Nullable(Type.Array(BusinessAddress, { maxItems: BUSINESS_ADDRESS_TYPES.length })),
  ),
  websites: Type.Optional(Nullable(Type.Array(Url, { maxItems: 10, uniqueItems: true }))),
  additional_fields: Type.Optional(
    Nullable(
      Type.Array(
        Strict({
          field_name: Type.String({ pattern: "^[a-z][a-z0-9_]{0,63}$" }),
          field_value: Text(255),
        }),
        { maxItems: 50 },
      ),
    ),
  ),
});
export type BusinessInput = Static<typeof BusinessInput>;

const Share = Type.Integer({ minimum: 0, maximum: 100 });

export const SalesInfoInput = Strict({
  card_brands: Type.Optional(Nullable(Type.Array(StringEnum(CARD_BRANDS), { uniqueItems: true }))),
  sales_method: Type.Optional(
    Nullable(
      Type.Object(
        {
          retail: Type.Optional(Share),
          telephone: Type.Optional(Share),
          online: Type.Optional(Share),
          keyed: Type.Optional(Share),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
  ),
  sales_amount: Type.Optional(
    Nullable(
      Type.Array(
        Strict({
          type: StringEnum(SALES_AMOUNT_TYPES),
          value: Type.Number({ minimum: 0, maximum: 1_000_000_000_000 }),
          currency: StringEnum(CURRENCIES),
        }),
        { maxItems: 4 },
      ),
    ),
  ),
});
export type SalesInfoInput = Static<typeof SalesInfoInput>;

/**
 * The sales info as stored: a `sales_method` channel left out reads back as 0 (data.md §4.6).
 * TODO(formats): the sum rule moves to the formats' cross-field check, step 1 like every BR.
 */
export function salesInfoFields(
  input: SalesInfoInput | undefined,
): UpdateWrapper<SalesInfoFields> | undefined {
  if (!input) return undefined;
  const { sales_method: method, ...rest } = input;
  if (!method) return { ...rest, ...(method === null ? { sales_method: null } : {}) };
  const channels = { retail: 0, telephone: 0, online: 0, keyed: 0, ...method };
  const sum = channels.retail + channels.telephone + channels.online + channels.keyed;
  if (sum !== 100)
    throw badRequest("sales_info.sales_method must add up to exactly 100", "sales_info.sales_method");
  return { ...rest, sales_method: channels };
}
