import { Type } from "@sinclair/typebox";
import { assertVisibleIssuedIdentifier } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { IssuedIdentifierObject, presentIssuedIdentifier } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { IssuedIdentifierId, Strict } from "./schema.js";

export const personIssuedIdentifierGet = defineMethod({
  name: "person.issuedIdentifier.get",
  summary: "Get a person's issued identifier (its number is not masked).",
  auth: true,
  write: false,
  request: Strict({ issued_identifier_id: IssuedIdentifierId }),
  response: Type.Object({ issued_identifier: IssuedIdentifierObject }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed issued_identifier_id" },
    notVisible("The issued identifier"),
  ],
  async handler(context, body) {
    return {
      issued_identifier: presentIssuedIdentifier(
        await assertVisibleIssuedIdentifier(context, body.issued_identifier_id, "issued_identifier_id"),
      ),
    };
  },
});
