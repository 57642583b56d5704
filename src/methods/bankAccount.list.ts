import { Type } from "@sinclair/typebox";
import { assertVisibleSubjectRecord } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { BankAccountObject, presentBankAccount } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { listCursors } from "./pagination.js";
import { PageParams, PageResult, ShowSensitiveData, Strict, SubjectRecordId } from "./schema.js";

export const bankAccountList = defineMethod({
  name: "bankAccount.list",
  summary: "List a subject record's bank accounts, oldest first, with cursor pagination.",
  auth: true,
  write: false,
  request: Strict({
    subject_record_id: SubjectRecordId,
    show_sensitive_data: ShowSensitiveData,
    ...PageParams,
  }),
  response: Type.Object({ bank_accounts: Type.Array(BankAccountObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed subject_record_id, limit outside 1–1000, a foreign cursor, or an invalid flag",
    },
    notVisible("The subject record"),
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (step 1), reported before the refusal to unmask and the lookup.
    const cursors = listCursors(context.cursorKey, {
      method: "bankAccount.list",
      filter: { subject_record_id: body.subject_record_id },
    });
    const position = cursors.pageRequest(body);
    const show = context.showSensitiveData(body.show_sensitive_data);
    const record = await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    const page = await context.store.listBankAccountsPage(record.id, position);
    return {
      bank_accounts: page.items.map((account) => presentBankAccount(account, show)),
      ...cursors.pageResult(page),
    };
  },
});
