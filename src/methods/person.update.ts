import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { personIssues } from "./formats/index.js";
import { PersonInput } from "./person-fields.js";
import { PersonId, Strict } from "./schema.js";

export const personUpdate = defineMethod({
  name: "person.update",
  summary:
    "Update a person: a given field replaces the stored one (addresses whole), null unsets it, a field left out is unchanged.",
  auth: true,
  write: true,
  request: Strict({ person_id: PersonId, person: Type.Optional(PersonInput) }),
  response: Strict({}),
  refine: (body) => personIssues(body.person, "person"),
  errors: [
    BAD_FIELDS,
    notVisible("The person"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "CONTROL_PRONG_AGE_REQUIREMENT",
      when: "The new date_of_birth makes a control-prong owner of a business younger than 18",
    },
  ],
  async handler(context, body) {
    await context.write("updatePerson", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      personId: body.person_id,
      person: body.person,
    });
    return {};
  },
});
