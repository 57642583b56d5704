import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { BankAccountCreateInput } from "./bank-account-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { BankAccountObject, presentBankAccount } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { Strict, SubjectRecordId } from "./schema.js";

export const bankAccountCreate = defineMethod({
  name: "bankAccount.create",
  summary: "Create a bank account in a subject record; routing and account number are required.",
  auth: true,
  write: true,
  request: Strict({ subject_record_id: SubjectRecordId, bank_account: BankAccountCreateInput }),
  response: Type.Object({ bank_account: BankAccountObject }),
  errors: [
    BAD_FIELDS,
    notVisible("The subject record"),
    DATA_FROZEN,
    {
      code: "ACCOUNT_CONFIGURATION_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "MAX_BANK_ACCOUNT_LIMIT",
      when: "The subject record already holds the account's max_bank_accounts_per_subject_record bank accounts",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const given = body.bank_account;
    const bankAccount = await context.write("createBankAccount", {
      ...callerScope(context),
      now,
      bankAccount: {
        id: newId("bankAccount"),
        subject_record_id: body.subject_record_id,
        bank_account_ownership_type: given.bank_account_ownership_type ?? null,
        bank_account_type: given.bank_account_type ?? null,
        bank_routing_number: given.bank_routing_number,
        bank_account_number: given.bank_account_number,
        bank_name: given.bank_name ?? null,
        created_at: now,
        updated_at: now,
      },
    });
    return { bank_account: presentBankAccount(bankAccount, false) };
  },
});
