import { Type } from "@sinclair/typebox";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { gatedBusiness } from "./location-access.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import {
  BusinessLocationObject,
  LocationObject,
  presentBusinessLocation,
  presentLocation,
} from "./location-objects.js";
import { listCursors } from "./pagination.js";
import { BusinessId, PageParams, PageResult, ShowSensitiveData, Strict } from "./schema.js";

export const businessListLocations = defineMethod({
  name: "business.listLocations",
  summary:
    "List a business's location associations, oldest first, with cursor pagination; verbose nests each location.",
  auth: true,
  write: false,
  request: Strict({
    business_id: BusinessId,
    show_sensitive_data: ShowSensitiveData,
    verbose: Type.Optional(Type.Boolean({ description: "Nest each association's location (default false)" })),
    ...PageParams,
  }),
  response: Type.Object({
    business_locations: Type.Array(
      Type.Composite([BusinessLocationObject, Type.Object({ location: Type.Optional(LocationObject) })], {
        title: "VerboseBusinessLocation",
      }),
    ),
    ...PageResult,
  }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed business_id, limit outside 1–1000, a foreign cursor, or an invalid flag",
    },
    notVisible("The business"),
    LOCATIONS_DISABLED,
  ],
  async handler(context, body) {
    const cursors = listCursors(context.cursorKey, {
      method: "business.listLocations",
      filter: { business_id: body.business_id },
    });
    const position = cursors.pageRequest(body);
    context.showSensitiveData(body.show_sensitive_data);
    const business = await gatedBusiness(context, body.business_id, "business_id");
    const page = await context.store.listBusinessLocationsPage(business.id, position);
    const result = cursors.pageResult(page);
    if (!body.verbose) return { business_locations: page.items.map(presentBusinessLocation), ...result };
    const locations = new Map(
      (await context.store.getLocations(page.items.map((a) => a.location_id))).map((l) => [l.id, l]),
    );
    // A location removed between the two reads (with its association) is left out.
    return {
      business_locations: page.items.flatMap((association) => {
        const location = locations.get(association.location_id);
        return location
          ? [{ ...presentBusinessLocation(association), location: presentLocation(location) }]
          : [];
      }),
      ...result,
    };
  },
});
