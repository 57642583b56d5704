/**
 * What a client sends for an owner association (data.md §5.2): `business_owner` of
 * business.addOwner (with `person_id`) and of business.updateOwner (without: `person_id` is not
 * updatable, so it is an unknown field there). Every other field is optional and nullable — on add
 * null means "not set", on update it unsets, and `ownership_type: null` means OWNERSHIP_PRONG.
 */
import type { Static } from "@sinclair/typebox";
import {
  BeneficialOwnershipType,
  BusinessPersonPosition,
  OptionalNullable,
  Percentage,
  YearMonth,
} from "./formats/index.js";
import { PersonId, Strict } from "./schema.js";

const OWNER_FIELDS = {
  ownership_type: OptionalNullable(BeneficialOwnershipType),
  ownership_percentage: OptionalNullable(Percentage),
  ownership_year_month: OptionalNullable(YearMonth),
  business_person_position: OptionalNullable(BusinessPersonPosition),
};

export const BusinessOwnerAddInput = Strict(
  { person_id: PersonId, ...OWNER_FIELDS },
  {
    title: "BusinessOwnerAddInput",
    description: "The person who owns the business, and how; each field but person_id optional",
  },
);
export type BusinessOwnerAddInput = Static<typeof BusinessOwnerAddInput>;

export const BusinessOwnerUpdateInput = Strict(OWNER_FIELDS, {
  title: "BusinessOwnerUpdateInput",
  description:
    "The owner association's fields; each optional, null meaning unset (ownership_type: OWNERSHIP_PRONG)",
});
export type BusinessOwnerUpdateInput = Static<typeof BusinessOwnerUpdateInput>;
