import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { ISSUED_IDENTIFIER_RULES, IssuedIdentifierUpdate } from "./person-fields.js";
import { IssuedIdentifierId, Strict } from "./schema.js";

export const personIssuedIdentifierUpdate = defineMethod({
  name: "person.issuedIdentifier.update",
  summary: "Change an issued identifier's type or number; neither may be unset.",
  auth: true,
  write: true,
  request: Strict({
    issued_identifier_id: IssuedIdentifierId,
    issued_identifier: Type.Optional(IssuedIdentifierUpdate),
  }),
  response: Strict({}),
  errors: [BAD_FIELDS, notVisible("The issued identifier"), DATA_FROZEN, ...ISSUED_IDENTIFIER_RULES],
  async handler(context, body) {
    await context.write("updateIssuedIdentifier", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      issuedIdentifierId: body.issued_identifier_id,
      identifier: body.issued_identifier,
    });
    return {};
  },
});
