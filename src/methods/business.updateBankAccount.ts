import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { BankAccountPurposes, purposesIssues } from "./bank-account-fields.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { OptionalNullable } from "./formats/index.js";
import { BusinessBankAccountId, Strict } from "./schema.js";

export const businessUpdateBankAccount = defineMethod({
  name: "business.updateBankAccount",
  summary:
    "Replace the purposes of a business's bank-account association (null or [] empties them); judged against the business's other associations.",
  auth: true,
  write: true,
  request: Strict({
    business_bank_account_id: BusinessBankAccountId,
    business_bank_account: Type.Optional(
      Strict(
        { bank_account_purposes: OptionalNullable(BankAccountPurposes) },
        { description: "Only bank_account_purposes may change" },
      ),
    ),
  }),
  response: Strict({}),
  refine: (body) => purposesIssues(body.business_bank_account),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed fields (bank_account_id is not updatable); a purpose repeated or not among the account's bank-account purposes",
    },
    notVisible("The business bank account"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
      when: "Another association of the same bank account with the business has one of these purposes (or, for none, also none)",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "SINGLE_PRIMARY_BANK_ACCOUNT",
      when: "PRIMARY is asked for and another association of the business has it",
    },
  ],
  async handler(context, body) {
    await context.write("updateBusinessBankAccount", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      associationId: body.business_bank_account_id,
      association: body.business_bank_account,
    });
    return {};
  },
});
