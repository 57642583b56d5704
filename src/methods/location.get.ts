import { Type } from "@sinclair/typebox";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { bankAccountsOfLocations, gatedLocation } from "./location-access.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import { presentLocation, presentVerboseLocation, VerboseLocationObject } from "./location-objects.js";
import { LocationId, ShowSensitiveData, Strict } from "./schema.js";

export const locationGet = defineMethod({
  name: "location.get",
  summary:
    "Get a location; verbose adds its bank-account associations with their bank accounts, masked unless show_sensitive_data is true.",
  auth: true,
  write: false,
  request: Strict({
    location_id: LocationId,
    verbose: Type.Optional(
      Type.Boolean({ description: "Include location_bank_accounts, each with bank_account (default false)" }),
    ),
    show_sensitive_data: ShowSensitiveData,
  }),
  response: Type.Object({ location: VerboseLocationObject }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed location_id; invalid flags" },
    notVisible("The location"),
    LOCATIONS_DISABLED,
  ],
  async handler(context, body) {
    // Step 2 (data.md §2.1); the route audits what the answer reveals (http/sensitive-read.ts).
    const show = context.showSensitiveData(body.show_sensitive_data);
    const location = await gatedLocation(context, body.location_id, "location_id");
    if (!body.verbose) return { location: presentLocation(location) };
    const { associations, accounts } = await bankAccountsOfLocations(context, [location.id]);
    return { location: presentVerboseLocation(location, associations, accounts, show) };
  },
});
