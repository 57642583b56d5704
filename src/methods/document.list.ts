import { Type } from "@sinclair/typebox";
import { assertVisibleSubjectRecord } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { DocumentObject, presentDocument } from "./document-fields.js";
import { listCursors } from "./pagination.js";
import { PageParams, PageResult, Strict, SubjectRecordId } from "./schema.js";

export const documentList = defineMethod({
  name: "document.list",
  summary: "List a subject record's documents, oldest first, with cursor pagination.",
  auth: true,
  write: false,
  request: Strict({ subject_record_id: SubjectRecordId, ...PageParams }),
  response: Type.Object({ documents: Type.Array(DocumentObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed subject_record_id, limit outside 1–1000, or a foreign cursor",
    },
    notVisible("The subject record"),
  ],
  async handler(context, body) {
    const cursors = listCursors(context.cursorKey, {
      method: "document.list",
      filter: { subject_record_id: body.subject_record_id },
    });
    const position = cursors.pageRequest(body);
    await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    const page = await context.store.listDocuments(body.subject_record_id, position);
    const now = context.clock.now().toISOString();
    return { documents: page.items.map((d) => presentDocument(d, now)), ...cursors.pageResult(page) };
  },
});
