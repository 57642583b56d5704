import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { SUBJECT_RECORD_TYPES } from "../domain/records.js";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { presentSubjectRecord, SubjectRecordObject } from "./objects.js";
import { AccountId, Strict, StringEnum } from "./schema.js";

export const subjectRecordCreate = defineMethod({
  name: "subjectRecord.create",
  summary: "Create an empty subject record of a type in an account.",
  auth: true,
  write: true,
  request: Strict({
    account_id: AccountId,
    subject_record: Strict({ type: StringEnum(SUBJECT_RECORD_TYPES, "Subject record type") }),
  }),
  response: Type.Object({ subject_record: SubjectRecordObject }),
  errors: [
    { code: "BAD_REQUEST", when: "type is not one of SUBJECT_RECORD_TYPES; missing or invalid parameters" },
    { code: "ENTITY_NOT_FOUND", when: "account_id does not exist or is not visible to the credential" },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const record = {
      id: newId("subjectRecord"),
      account_id: body.account_id,
      type: body.subject_record.type,
      created_at: now,
      updated_at: now,
    };
    const created = await context.write("createSubjectRecord", { scope: callerScope(context).scope, record });
    return { subject_record: presentSubjectRecord(created) };
  },
});
