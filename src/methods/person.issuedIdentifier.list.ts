import { Type } from "@sinclair/typebox";
import { assertVisiblePerson } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { IssuedIdentifierObject, presentIssuedIdentifier } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { listCursors } from "./pagination.js";
import { PageParams, PageResult, PersonId, Strict } from "./schema.js";

export const personIssuedIdentifierList = defineMethod({
  name: "person.issuedIdentifier.list",
  summary: "List a person's issued identifiers, oldest first, with cursor pagination.",
  auth: true,
  write: false,
  request: Strict({ person_id: PersonId, ...PageParams }),
  response: Type.Object({ issued_identifiers: Type.Array(IssuedIdentifierObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed person_id, limit outside 1–1000, or a foreign cursor",
    },
    notVisible("The person"),
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (BAD_REQUEST), reported before the lookup (ENTITY_NOT_FOUND).
    const cursors = listCursors(context.cursorKey, {
      method: "person.issuedIdentifier.list",
      filter: { person_id: body.person_id },
    });
    const position = cursors.pageRequest(body);
    await assertVisiblePerson(context, body.person_id, "person_id");
    const page = await context.store.listIssuedIdentifiers(body.person_id, position);
    return {
      issued_identifiers: page.items.map(presentIssuedIdentifier),
      ...cursors.pageResult(page),
    };
  },
});
