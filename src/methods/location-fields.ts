/**
 * What a client sends for a location (data.md §4.4) and a location's bank-account association
 * (§8 (6)), in the value formats of src/methods/formats. `address` has no `address_type`.
 */
import { Type } from "@sinclair/typebox";
import {
  AccountExtensibleValue,
  Address,
  LocationOwnerType,
  LocationType,
  OptionalNullable,
  TextN,
  uniqueValuesIssues,
} from "./formats/index.js";
import { Strict } from "./schema.js";

export const LocationInput = Strict(
  {
    location_type: OptionalNullable(LocationType),
    location_name: OptionalNullable(TextN(255, "Name of the location")),
    owner_name: OptionalNullable(TextN(255, "Name of the location's owner")),
    owner_type: OptionalNullable(LocationOwnerType),
    address: OptionalNullable(Address),
  },
  {
    title: "LocationInput",
    description: "The location's fields; each optional, null meaning unset (address replaced whole)",
  },
);

/** 1–10 unique enum tokens; each must be one of the account's LOCATION_BANK_ACCOUNT_PURPOSES (step 4). */
export const LocationBankAccountPurposes = Type.Array(
  AccountExtensibleValue("Location bank account purpose"),
  {
    minItems: 1,
    maxItems: 10,
    description: "1 to 10 purposes, none repeated, each FEES, SETTLEMENT or one of the account's own",
  },
);

/** The purposes' own rule at step 1: none repeated. */
export function locationPurposesIssues(wrapper: { bank_account_purposes: readonly string[] }) {
  return uniqueValuesIssues(wrapper.bank_account_purposes, "location_bank_account.bank_account_purposes");
}
