import { Type } from "@sinclair/typebox";
import { assertVisiblePerson } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { PersonObject, presentPerson } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { PersonId, ShowSensitiveData, Strict } from "./schema.js";

export const personGet = defineMethod({
  name: "person.get",
  summary: "Get a person; tax_id is masked unless show_sensitive_data is true.",
  auth: true,
  write: false,
  request: Strict({ person_id: PersonId, show_sensitive_data: ShowSensitiveData }),
  response: Type.Object({ person: PersonObject }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed person_id; a show_sensitive_data that is not a boolean",
    },
    notVisible("The person"),
  ],
  async handler(context, body) {
    // Step 2 (data.md §2.1); the route audits what the answer reveals (http/sensitive-read.ts).
    const show = context.showSensitiveData(body.show_sensitive_data);
    const person = await assertVisiblePerson(context, body.person_id, "person_id");
    return { person: presentPerson(person, show) };
  },
});
