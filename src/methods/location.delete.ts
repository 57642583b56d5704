import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import { LocationId, Strict } from "./schema.js";

export const locationDelete = defineMethod({
  name: "location.delete",
  summary: "Delete a location that is linked to no business and no bank account.",
  auth: true,
  write: true,
  request: Strict({ location_id: LocationId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed location_id" },
    notVisible("The location"),
    LOCATIONS_DISABLED,
    DATA_FROZEN,
    {
      code: "ENTITY_LINKED",
      when: "The location is linked to a business or has bank-account associations; related_methods names the methods that remove the links",
    },
  ],
  async handler(context, body) {
    await context.write("deleteLocation", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      locationId: body.location_id,
    });
    return {};
  },
});
