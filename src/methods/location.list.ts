import { Type } from "@sinclair/typebox";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { bankAccountsOfLocations, gatedSubjectRecord } from "./location-access.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import { presentLocation, presentVerboseLocation, VerboseLocationObject } from "./location-objects.js";
import { listCursors } from "./pagination.js";
import { PageParams, PageResult, ShowSensitiveData, Strict, SubjectRecordId } from "./schema.js";

export const locationList = defineMethod({
  name: "location.list",
  summary:
    "List a subject record's locations, oldest first, with cursor pagination; verbose adds each one's bank-account associations.",
  auth: true,
  write: false,
  request: Strict({
    subject_record_id: SubjectRecordId,
    show_sensitive_data: ShowSensitiveData,
    verbose: Type.Optional(
      Type.Boolean({ description: "Include location_bank_accounts, each with bank_account (default false)" }),
    ),
    ...PageParams,
  }),
  response: Type.Object({ locations: Type.Array(VerboseLocationObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed subject_record_id, limit outside 1–1000, a foreign cursor, or an invalid flag",
    },
    notVisible("The subject record"),
    LOCATIONS_DISABLED,
  ],
  async handler(context, body) {
    const cursors = listCursors(context.cursorKey, {
      method: "location.list",
      filter: { subject_record_id: body.subject_record_id },
    });
    const position = cursors.pageRequest(body);
    const show = context.showSensitiveData(body.show_sensitive_data);
    const record = await gatedSubjectRecord(context, body.subject_record_id, "subject_record_id");
    const page = await context.store.listLocationsPage(record.id, position);
    const result = cursors.pageResult(page);
    if (!body.verbose) return { locations: page.items.map(presentLocation), ...result };
    const { associations, accounts } = await bankAccountsOfLocations(
      context,
      page.items.map((location) => location.id),
    );
    return {
      locations: page.items.map((location) => presentVerboseLocation(location, associations, accounts, show)),
      ...result,
    };
  },
});
