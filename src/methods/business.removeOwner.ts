import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { BusinessOwnerId, Strict } from "./schema.js";

export const businessRemoveOwner = defineMethod({
  name: "business.removeOwner",
  summary: "Remove an owner association; the business and the person stay.",
  auth: true,
  write: true,
  request: Strict({ business_owner_id: BusinessOwnerId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed business_owner_id" },
    notVisible("The owner association"),
    DATA_FROZEN,
  ],
  async handler(context, body) {
    await context.write("removeBusinessOwner", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      ownerId: body.business_owner_id,
    });
    return {};
  },
});
