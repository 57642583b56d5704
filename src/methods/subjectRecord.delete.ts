import { removeDocumentFiles } from "../documents/blob-files.js";
import { callerScope } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { Strict, SubjectRecordId } from "./schema.js";

export const subjectRecordDelete = defineMethod({
  name: "subjectRecord.delete",
  summary:
    "Delete a subject record that has no workflow, with everything in it (business, sales info, persons, issued identifiers, bank accounts, associations, documents and their bytes).",
  auth: true,
  write: true,
  request: Strict({ subject_record_id: SubjectRecordId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed subject_record_id" },
    notVisible("The subject record"),
    {
      code: "ENTITY_LINKED",
      when: "The subject record has a workflow (of any type and state); related_methods names workflow.delete",
    },
  ],
  async handler(context, body) {
    await context.write("deleteSubjectRecord", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      subjectRecordId: body.subject_record_id,
    });
    // SQLite document files go after the commit (data.md §12.2); housekeeping is the backstop.
    await removeDocumentFiles(context.documents, body.subject_record_id);
    return {};
  },
});
