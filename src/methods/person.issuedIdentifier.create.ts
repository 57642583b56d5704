import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { IssuedIdentifierObject, presentIssuedIdentifier } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { ISSUED_IDENTIFIER_RULES, IssuedIdentifierInput } from "./person-fields.js";
import { PersonId, Strict } from "./schema.js";

export const personIssuedIdentifierCreate = defineMethod({
  name: "person.issuedIdentifier.create",
  summary: "Give a person an issued identifier (one per type): a driver's license, passport, state ID, …",
  auth: true,
  write: true,
  request: Strict({ person_id: PersonId, issued_identifier: IssuedIdentifierInput }),
  response: Type.Object({ issued_identifier: IssuedIdentifierObject }),
  errors: [BAD_FIELDS, notVisible("The person"), DATA_FROZEN, ...ISSUED_IDENTIFIER_RULES],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const identifier = await context.write("createIssuedIdentifier", {
      ...callerScope(context),
      now,
      identifier: {
        id: newId("issuedIdentifier"),
        person_id: body.person_id,
        type: body.issued_identifier.type,
        issued_number: body.issued_identifier.issued_number,
        created_at: now,
        updated_at: now,
      },
    });
    return { issued_identifier: presentIssuedIdentifier(identifier) };
  },
});
