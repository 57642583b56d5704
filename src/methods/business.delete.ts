import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { BusinessId, Strict } from "./schema.js";

export const businessDelete = defineMethod({
  name: "business.delete",
  summary:
    "Delete a business that has no owner, bank-account or location associations; its sales info goes with it.",
  auth: true,
  write: true,
  request: Strict({ business_id: BusinessId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed business_id" },
    notVisible("The business"),
    DATA_FROZEN,
    {
      code: "ENTITY_LINKED",
      when: "The business has owner, bank-account or location associations; related_methods names the methods that remove them",
    },
  ],
  async handler(context, body) {
    await context.write("deleteBusiness", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      businessId: body.business_id,
    });
    return {};
  },
});
