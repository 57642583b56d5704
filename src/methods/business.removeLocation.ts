import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import { BusinessLocationId, Strict } from "./schema.js";

export const businessRemoveLocation = defineMethod({
  name: "business.removeLocation",
  summary: "Remove a location association of a business (the location stays).",
  auth: true,
  write: true,
  request: Strict({ business_location_id: BusinessLocationId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed business_location_id" },
    notVisible("The business location"),
    LOCATIONS_DISABLED,
    DATA_FROZEN,
  ],
  async handler(context, body) {
    await context.write("removeBusinessLocation", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      associationId: body.business_location_id,
    });
    return {};
  },
});
