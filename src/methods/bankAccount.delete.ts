import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { BankAccountId, Strict } from "./schema.js";

export const bankAccountDelete = defineMethod({
  name: "bankAccount.delete",
  summary: "Delete a bank account that is linked to no business (and no location).",
  auth: true,
  write: true,
  request: Strict({ bank_account_id: BankAccountId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed bank_account_id" },
    notVisible("The bank account"),
    DATA_FROZEN,
    {
      code: "ENTITY_LINKED",
      when: "The bank account is linked to a business or a location; related_methods names the methods that remove the links",
    },
  ],
  async handler(context, body) {
    await context.write("deleteBankAccount", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      bankAccountId: body.bank_account_id,
    });
    return {};
  },
});
