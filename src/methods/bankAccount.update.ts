import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { BankAccountUpdateInput } from "./bank-account-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { BankAccountId, Strict } from "./schema.js";

export const bankAccountUpdate = defineMethod({
  name: "bankAccount.update",
  summary:
    "Update a bank account: a given field replaces the stored one, null unsets an optional one, a field left out is unchanged.",
  auth: true,
  write: true,
  request: Strict({ bank_account_id: BankAccountId, bank_account: Type.Optional(BankAccountUpdateInput) }),
  response: Strict({}),
  errors: [BAD_FIELDS, notVisible("The bank account"), DATA_FROZEN],
  async handler(context, body) {
    await context.write("updateBankAccount", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      bankAccountId: body.bank_account_id,
      bankAccount: body.bank_account,
    });
    return {};
  },
});
