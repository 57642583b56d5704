import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { BankAccountPurposes, purposesIssues } from "./bank-account-fields.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { BusinessBankAccountObject, presentBusinessBankAccount } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { BankAccountId, BusinessId, Strict } from "./schema.js";

export const businessAddBankAccount = defineMethod({
  name: "business.addBankAccount",
  summary:
    "Link a bank account of the same subject record to a business, with purposes (none, or PRIMARY, FEES, SETTLEMENT and the account's own).",
  auth: true,
  write: true,
  request: Strict({
    business_id: BusinessId,
    business_bank_account: Strict({
      bank_account_id: BankAccountId,
      bank_account_purposes: Type.Optional(BankAccountPurposes),
    }),
  }),
  response: Type.Object({ business_bank_account: BusinessBankAccountObject }),
  refine: (body) => purposesIssues(body.business_bank_account),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed fields; a purpose repeated or not among the account's bank-account purposes",
    },
    notVisible("The business or the bank account"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "CROSS_SUBJECT_RECORD_REFERENCE",
      when: "The bank account belongs to another subject record than the business",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
      when: "The bank account is already linked to the business with one of these purposes, or both without purposes",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "SINGLE_PRIMARY_BANK_ACCOUNT",
      when: "PRIMARY is asked for and the business already has a PRIMARY bank account",
    },
    {
      code: "ACCOUNT_CONFIGURATION_VIOLATION",
      entity_type: "Business",
      sub_code: "MAX_BANK_ACCOUNT_LIMIT",
      when: "The business already has the account's max_bank_accounts_per_business associations",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const association = await context.write("addBusinessBankAccount", {
      ...callerScope(context),
      now,
      association: {
        id: newId("businessBankAccount"),
        business_id: body.business_id,
        bank_account_id: body.business_bank_account.bank_account_id,
        bank_account_purposes: body.business_bank_account.bank_account_purposes ?? [],
        created_at: now,
        updated_at: now,
      },
    });
    return { business_bank_account: presentBusinessBankAccount(association) };
  },
});
