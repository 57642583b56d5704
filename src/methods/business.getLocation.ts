import { Type } from "@sinclair/typebox";
import { notFound } from "../errors.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { gatedBusinessLocation } from "./location-access.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import {
  BusinessLocationObject,
  LocationObject,
  presentBusinessLocation,
  presentLocation,
} from "./location-objects.js";
import { BusinessLocationId, ShowSensitiveData, Strict } from "./schema.js";

export const businessGetLocation = defineMethod({
  name: "business.getLocation",
  summary:
    "Get a location association of a business; verbose nests the location (without its bank accounts).",
  auth: true,
  write: false,
  request: Strict({
    business_location_id: BusinessLocationId,
    show_sensitive_data: ShowSensitiveData,
    verbose: Type.Optional(Type.Boolean({ description: "Nest the location (default false)" })),
  }),
  response: Type.Object({
    business_location: Type.Composite(
      [BusinessLocationObject, Type.Object({ location: Type.Optional(LocationObject) })],
      { title: "VerboseBusinessLocation" },
    ),
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed business_location_id; invalid flags" },
    notVisible("The business location"),
    LOCATIONS_DISABLED,
  ],
  async handler(context, body) {
    // The flag is accepted (and refused to who may not unmask) but reveals nothing here.
    context.showSensitiveData(body.show_sensitive_data);
    const association = await gatedBusinessLocation(
      context,
      body.business_location_id,
      "business_location_id",
    );
    if (!body.verbose) return { business_location: presentBusinessLocation(association) };
    const [location] = await context.store.getLocations([association.location_id]);
    // A linked location cannot be deleted: gone means the association was removed (and then the
    // location deleted) between the two reads, so the association is not found any more.
    if (!location) throw notFound("Business Location", "business_location_id");
    return {
      business_location: { ...presentBusinessLocation(association), location: presentLocation(location) },
    };
  },
});
