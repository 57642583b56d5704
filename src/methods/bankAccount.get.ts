import { Type } from "@sinclair/typebox";
import { assertVisibleBankAccount } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { BankAccountObject, presentBankAccount } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { BankAccountId, ShowSensitiveData, Strict } from "./schema.js";

export const bankAccountGet = defineMethod({
  name: "bankAccount.get",
  summary: "Get a bank account; bank_account_number is masked unless show_sensitive_data is true.",
  auth: true,
  write: false,
  request: Strict({ bank_account_id: BankAccountId, show_sensitive_data: ShowSensitiveData }),
  response: Type.Object({ bank_account: BankAccountObject }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed bank_account_id; invalid flag" },
    notVisible("The bank account"),
  ],
  async handler(context, body) {
    // Step 2 (data.md §2.1); the route audits what the answer reveals (http/sensitive-read.ts).
    const show = context.showSensitiveData(body.show_sensitive_data);
    const bankAccount = await assertVisibleBankAccount(context, body.bank_account_id, "bank_account_id");
    return { bank_account: presentBankAccount(bankAccount, show) };
  },
});
