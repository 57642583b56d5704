/**
 * What a client sends for a business and its sales info (data.md §4.1, §4.6), in the value formats
 * of src/methods/formats. Create and update take the same wrapper: every field optional and
 * nullable — on create null means "not set", on update it unsets (§2.2, §2.3). The cross-field
 * rules are each method's `refine` (`businessIssues`, `salesInfoIssues`).
 */
import type { Static } from "@sinclair/typebox";
import type { SalesInfoFields } from "../domain/data-records.js";
import type { UpdateWrapper } from "../domain/updates.js";
import {
  AdditionalFields,
  BusinessAddresses,
  BusinessRegistrationType,
  CardBrands,
  fullSalesMethod,
  IndustryCategoryCodes,
  OptionalNullable,
  SalesAmounts,
  SalesMethod,
  TaxId,
  TextN,
  UsPhone,
  Websites,
} from "./formats/index.js";
import { Email, Strict } from "./schema.js";

export const BusinessInput = Strict(
  {
    legal_name: OptionalNullable(TextN(255, "Legal name")),
    operating_name: OptionalNullable(TextN(255, "Name the business operates under")),
    registration_type: OptionalNullable(BusinessRegistrationType),
    tax_id: OptionalNullable(TaxId),
    phone_number: OptionalNullable(UsPhone),
    email: OptionalNullable(Email),
    industry_category_codes: OptionalNullable(IndustryCategoryCodes),
    addresses: OptionalNullable(BusinessAddresses),
    websites: OptionalNullable(Websites),
    additional_fields: OptionalNullable(AdditionalFields),
  },
  { title: "BusinessInput", description: "The business's fields; each optional, null meaning unset" },
);
export type BusinessInput = Static<typeof BusinessInput>;

export const SalesInfoInput = Strict(
  {
    card_brands: OptionalNullable(CardBrands),
    sales_method: OptionalNullable(SalesMethod),
    sales_amount: OptionalNullable(SalesAmounts),
  },
  { title: "SalesInfoInput", description: "The sales info's fields; each optional, null meaning unset" },
);
export type SalesInfoInput = Static<typeof SalesInfoInput>;

/** The sales info's fields as stored: a `sales_method` channel left out is 0 (data.md §4.6). */
export function salesInfoFields(
  input: SalesInfoInput | undefined,
): UpdateWrapper<SalesInfoFields> | undefined {
  if (!input?.sales_method) return input as UpdateWrapper<SalesInfoFields> | undefined;
  return { ...input, sales_method: fullSalesMethod(input.sales_method) };
}
