import { Type } from "@sinclair/typebox";
import { UNSET_SALES_INFO_FIELDS } from "../domain/data-records.js";
import { newId } from "../domain/ids.js";
import { createdFields } from "../domain/updates.js";
import { callerScope } from "./access.js";
import { SalesInfoInput, salesInfoFields } from "./business-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { presentSalesInfo, SalesInfoObject } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { salesInfoIssues } from "./formats/index.js";
import { BusinessId, Strict } from "./schema.js";

export const businessSalesInfoCreate = defineMethod({
  name: "business.salesInfo.create",
  summary: "Create a business's sales info (one per business); fields left out (or null) are unset.",
  auth: true,
  write: true,
  request: Strict({ business_id: BusinessId, sales_info: Type.Optional(SalesInfoInput) }),
  response: Type.Object({ sales_info: SalesInfoObject }),
  refine: (body) => salesInfoIssues(body.sales_info, "sales_info"),
  errors: [
    BAD_FIELDS,
    notVisible("The business"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "SALES_INFO_ALREADY_EXISTS",
      when: "The business already has sales info",
    },
  ],
  async handler(context, body) {
    const fields = salesInfoFields(body.sales_info);
    const now = context.clock.now().toISOString();
    const info = await context.write("createSalesInfo", {
      ...callerScope(context),
      now,
      info: {
        id: newId("salesInfo"),
        business_id: body.business_id,
        ...createdFields(UNSET_SALES_INFO_FIELDS, fields),
        created_at: now,
        updated_at: now,
      },
    });
    return { sales_info: presentSalesInfo(info) };
  },
});
