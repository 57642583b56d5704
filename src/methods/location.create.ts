import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { UNSET_LOCATION_FIELDS } from "../domain/location-records.js";
import { createdFields } from "../domain/updates.js";
import { callerScope } from "./access.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { locationIssues } from "./formats/index.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import { LocationInput } from "./location-fields.js";
import { LocationObject, presentLocation } from "./location-objects.js";
import { Strict, SubjectRecordId } from "./schema.js";

export const locationCreate = defineMethod({
  name: "location.create",
  summary: "Create a location in a subject record; fields left out (or null) are unset.",
  auth: true,
  write: true,
  request: Strict({ subject_record_id: SubjectRecordId, location: Type.Optional(LocationInput) }),
  response: Type.Object({ location: LocationObject }),
  refine: (body) => locationIssues(body.location, "location"),
  errors: [
    BAD_FIELDS,
    notVisible("The subject record"),
    LOCATIONS_DISABLED,
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "MAX_LOCATION_LIMIT",
      when: "The subject record already holds 100 locations",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const location = await context.write("createLocation", {
      ...callerScope(context),
      now,
      location: {
        id: newId("location"),
        subject_record_id: body.subject_record_id,
        ...createdFields(UNSET_LOCATION_FIELDS, body.location),
        created_at: now,
        updated_at: now,
      },
    });
    return { location: presentLocation(location) };
  },
});
