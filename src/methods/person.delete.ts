import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { PersonId, Strict } from "./schema.js";

export const personDelete = defineMethod({
  name: "person.delete",
  summary: "Delete a person who owns no business; its issued identifiers go with it.",
  auth: true,
  write: true,
  request: Strict({ person_id: PersonId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed person_id" },
    notVisible("The person"),
    DATA_FROZEN,
    {
      code: "ENTITY_LINKED",
      when: "The person is an owner of a business; related_methods names business.removeOwner",
    },
  ],
  async handler(context, body) {
    await context.write("deletePerson", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      personId: body.person_id,
    });
    return {};
  },
});
