import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { CROSS_RECORD, LOCATIONS_DISABLED } from "./location-error-docs.js";
import { BusinessLocationObject, presentBusinessLocation } from "./location-objects.js";
import { BusinessId, LocationId, Strict } from "./schema.js";

export const businessAddLocation = defineMethod({
  name: "business.addLocation",
  summary: "Link a location of the same subject record to a business (once per pair).",
  auth: true,
  write: true,
  request: Strict({ business_id: BusinessId, business_location: Strict({ location_id: LocationId }) }),
  response: Type.Object({ business_location: BusinessLocationObject }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed fields" },
    notVisible("The business or the location"),
    LOCATIONS_DISABLED,
    DATA_FROZEN,
    CROSS_RECORD,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "DUPLICATE_LOCATION_ASSOCIATION",
      when: "The location is already linked to the business",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const association = await context.write("addBusinessLocation", {
      ...callerScope(context),
      now,
      association: {
        id: newId("businessLocation"),
        business_id: body.business_id,
        location_id: body.business_location.location_id,
        created_at: now,
        updated_at: now,
      },
    });
    return { business_location: presentBusinessLocation(association) };
  },
});
