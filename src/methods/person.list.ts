import { Type } from "@sinclair/typebox";
import { assertVisibleSubjectRecord } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { PersonObject, presentPerson } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { listCursors } from "./pagination.js";
import { PageParams, PageResult, ShowSensitiveData, Strict, SubjectRecordId } from "./schema.js";

export const personList = defineMethod({
  name: "person.list",
  summary:
    "List a subject record's persons, oldest first, with cursor pagination; tax_id masked unless asked.",
  auth: true,
  write: false,
  request: Strict({
    subject_record_id: SubjectRecordId,
    show_sensitive_data: ShowSensitiveData,
    ...PageParams,
  }),
  response: Type.Object({ persons: Type.Array(PersonObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed subject_record_id, limit outside 1–1000, a foreign cursor, or a show_sensitive_data that is not a boolean",
    },
    notVisible("The subject record"),
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (step 1), before the unmask check (step 2) and the lookup.
    const cursors = listCursors(context.cursorKey, {
      method: "person.list",
      filter: { subject_record_id: body.subject_record_id },
    });
    const position = cursors.pageRequest(body);
    const show = context.showSensitiveData(body.show_sensitive_data);
    await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    const page = await context.store.listPersons(body.subject_record_id, position);
    return { persons: page.items.map((p) => presentPerson(p, show)), ...cursors.pageResult(page) };
  },
});
