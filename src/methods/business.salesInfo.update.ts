import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { SalesInfoInput, salesInfoFields } from "./business-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { salesInfoIssues } from "./formats/index.js";
import { SalesInfoId, Strict } from "./schema.js";

export const businessSalesInfoUpdate = defineMethod({
  name: "business.salesInfo.update",
  summary:
    "Update sales info: a given field replaces the stored one (sales_method and arrays whole), null unsets it, a field left out is unchanged.",
  auth: true,
  write: true,
  request: Strict({ sales_info_id: SalesInfoId, sales_info: Type.Optional(SalesInfoInput) }),
  response: Strict({}),
  refine: (body) => salesInfoIssues(body.sales_info, "sales_info"),
  errors: [BAD_FIELDS, notVisible("The sales info"), DATA_FROZEN],
  async handler(context, body) {
    const fields = salesInfoFields(body.sales_info);
    await context.write("updateSalesInfo", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      salesInfoId: body.sales_info_id,
      info: fields,
    });
    return {};
  },
});
