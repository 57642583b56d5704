import { Type } from "@sinclair/typebox";
import { UNSET_BUSINESS_FIELDS } from "../domain/data-records.js";
import { newId } from "../domain/ids.js";
import { createdFields } from "../domain/updates.js";
import { callerScope } from "./access.js";
import { BusinessInput } from "./business-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { BusinessObject, presentBusiness } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { businessIssues } from "./formats/index.js";
import { Strict, SubjectRecordId } from "./schema.js";

export const businessCreate = defineMethod({
  name: "business.create",
  summary: "Create the business of a BUSINESS subject record; fields left out (or null) are unset.",
  auth: true,
  write: true,
  request: Strict({ subject_record_id: SubjectRecordId, business: Type.Optional(BusinessInput) }),
  response: Type.Object({ business: BusinessObject }),
  refine: (body) => businessIssues(body.business, "business"),
  errors: [
    BAD_FIELDS,
    notVisible("The subject record"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "MAX_BUSINESS_LIMIT",
      when: "The subject record already has its business, or is a PERSON record",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const business = await context.write("createBusiness", {
      ...callerScope(context),
      now,
      business: {
        id: newId("business"),
        subject_record_id: body.subject_record_id,
        ...createdFields(UNSET_BUSINESS_FIELDS, body.business),
        sales_info_id: null,
        created_at: now,
        updated_at: now,
      },
    });
    return { business: presentBusiness(business, false) };
  },
});
