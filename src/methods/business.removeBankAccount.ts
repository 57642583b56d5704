import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { BusinessBankAccountId, Strict } from "./schema.js";

export const businessRemoveBankAccount = defineMethod({
  name: "business.removeBankAccount",
  summary: "Remove a bank-account association of a business (the bank account stays).",
  auth: true,
  write: true,
  request: Strict({ business_bank_account_id: BusinessBankAccountId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed business_bank_account_id" },
    notVisible("The business bank account"),
    DATA_FROZEN,
  ],
  async handler(context, body) {
    await context.write("removeBusinessBankAccount", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      associationId: body.business_bank_account_id,
    });
    return {};
  },
});
