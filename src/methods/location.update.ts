import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { locationIssues } from "./formats/index.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import { LocationInput } from "./location-fields.js";
import { LocationId, Strict } from "./schema.js";

export const locationUpdate = defineMethod({
  name: "location.update",
  summary:
    "Update a location: a given field replaces the stored one (address whole), null unsets it, a field left out is unchanged.",
  auth: true,
  write: true,
  request: Strict({ location_id: LocationId, location: Type.Optional(LocationInput) }),
  response: Strict({}),
  refine: (body) => locationIssues(body.location, "location"),
  errors: [BAD_FIELDS, notVisible("The location"), LOCATIONS_DISABLED, DATA_FROZEN],
  async handler(context, body) {
    await context.write("updateLocation", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      locationId: body.location_id,
      location: body.location,
    });
    return {};
  },
});
