import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { BusinessInput } from "./business-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { businessIssues } from "./formats/index.js";
import { BusinessId, Strict } from "./schema.js";

export const businessUpdate = defineMethod({
  name: "business.update",
  summary:
    "Update a business: a given field replaces the stored one (arrays whole), null unsets it, a field left out is unchanged.",
  auth: true,
  write: true,
  request: Strict({ business_id: BusinessId, business: Type.Optional(BusinessInput) }),
  response: Strict({}),
  refine: (body) => businessIssues(body.business, "business"),
  errors: [BAD_FIELDS, notVisible("The business"), DATA_FROZEN],
  async handler(context, body) {
    await context.write("updateBusiness", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      businessId: body.business_id,
      business: body.business,
    });
    return {};
  },
});
