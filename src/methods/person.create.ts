import { Type } from "@sinclair/typebox";
import { UNSET_PERSON_FIELDS } from "../domain/data-records.js";
import { newId } from "../domain/ids.js";
import { createdFields } from "../domain/updates.js";
import { callerScope } from "./access.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { PersonObject, presentPerson } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { personIssues } from "./formats/index.js";
import { PersonInput } from "./person-fields.js";
import { Strict, SubjectRecordId } from "./schema.js";

export const personCreate = defineMethod({
  name: "person.create",
  summary: "Create a person in a subject record; fields left out (or null) are unset.",
  auth: true,
  write: true,
  request: Strict({ subject_record_id: SubjectRecordId, person: Type.Optional(PersonInput) }),
  response: Type.Object({ person: PersonObject }),
  refine: (body) => personIssues(body.person, "person"),
  errors: [
    BAD_FIELDS,
    notVisible("The subject record"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "MAX_PERSON_LIMIT",
      when: "The subject record already holds its persons (100 in a BUSINESS record, 1 in a PERSON record)",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const person = await context.write("createPerson", {
      ...callerScope(context),
      now,
      person: {
        id: newId("person"),
        subject_record_id: body.subject_record_id,
        ...createdFields(UNSET_PERSON_FIELDS, body.person),
        created_at: now,
        updated_at: now,
      },
    });
    return { person: presentPerson(person, false) };
  },
});
