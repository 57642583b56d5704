import { Type } from "@sinclair/typebox";
import { assertVisibleAccount } from "./access.js";
import { defineMethod } from "./define.js";
import { presentSubjectRecord, SubjectRecordObject } from "./objects.js";
import { listCursors } from "./pagination.js";
import { AccountId, PageParams, PageResult, Strict } from "./schema.js";

export const subjectRecordList = defineMethod({
  name: "subjectRecord.list",
  summary: "List an account's subject records, oldest first, with cursor pagination.",
  auth: true,
  write: false,
  request: Strict({ account_id: AccountId, ...PageParams }),
  response: Type.Object({ subject_records: Type.Array(SubjectRecordObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed account_id, limit outside 1–1000, or a foreign cursor",
    },
    { code: "ENTITY_NOT_FOUND", when: "The account does not exist or is not visible" },
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (BAD_REQUEST), reported before the lookup (ENTITY_NOT_FOUND).
    const cursors = listCursors(context.cursorKey, {
      method: "subjectRecord.list",
      filter: { account_id: body.account_id },
    });
    const position = cursors.pageRequest(body);
    await assertVisibleAccount(context, body.account_id, "account_id");
    const page = await context.store.listSubjectRecords(body.account_id, position);
    return { subject_records: page.items.map(presentSubjectRecord), ...cursors.pageResult(page) };
  },
});
