import { Type } from "@sinclair/typebox";
import { assertVisibleSalesInfo } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { presentSalesInfo, SalesInfoObject } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { SalesInfoId, Strict } from "./schema.js";

export const businessSalesInfoGet = defineMethod({
  name: "business.salesInfo.get",
  summary: "Get a business's sales info.",
  auth: true,
  write: false,
  request: Strict({ sales_info_id: SalesInfoId }),
  response: Type.Object({ sales_info: SalesInfoObject }),
  errors: [{ code: "BAD_REQUEST", when: "Missing or malformed sales_info_id" }, notVisible("The sales info")],
  async handler(context, body) {
    return {
      sales_info: presentSalesInfo(
        await assertVisibleSalesInfo(context, body.sales_info_id, "sales_info_id"),
      ),
    };
  },
});
