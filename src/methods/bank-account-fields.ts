/**
 * What a client sends for a bank account (data.md §4.3) and for a business's bank-account
 * association (§5.3), in the value formats of src/methods/formats. The routing and account numbers
 * are required on create and may change but never be unset (`not null`) on update.
 */
import { Type } from "@sinclair/typebox";
import {
  AccountExtensibleValue,
  BankAccountNumber,
  BankAccountOwnershipType,
  BankAccountType,
  OptionalNullable,
  RoutingNumber,
  TextN,
  uniqueValuesIssues,
} from "./formats/index.js";
import { Strict } from "./schema.js";

const optionalFields = {
  bank_account_ownership_type: OptionalNullable(BankAccountOwnershipType),
  bank_account_type: OptionalNullable(BankAccountType),
  bank_name: OptionalNullable(TextN(255, "Name of the bank")),
};

export const BankAccountCreateInput = Strict(
  { ...optionalFields, bank_routing_number: RoutingNumber, bank_account_number: BankAccountNumber },
  {
    title: "BankAccountCreateInput",
    description: "The bank account: routing and account number required, the rest optional (null: unset)",
  },
);

export const BankAccountUpdateInput = Strict(
  {
    ...optionalFields,
    bank_routing_number: Type.Optional(RoutingNumber),
    bank_account_number: Type.Optional(BankAccountNumber),
  },
  {
    title: "BankAccountUpdateInput",
    description:
      "The fields to change; null unsets an optional one, the routing and account number may not be null",
  },
);

/** 0–10 unique enum tokens; each must be one of the account's BANK_ACCOUNT_PURPOSES (step 4). */
export const BankAccountPurposes = Type.Array(AccountExtensibleValue("Bank account purpose"), {
  maxItems: 10,
  description:
    "At most 10 purposes, none repeated, each PRIMARY, FEES, SETTLEMENT or one of the account's own",
});

/** The purposes' own rule at step 1: none repeated. */
export function purposesIssues(wrapper: { bank_account_purposes?: readonly string[] | null } | undefined) {
  return uniqueValuesIssues(wrapper?.bank_account_purposes, "business_bank_account.bank_account_purposes");
}
