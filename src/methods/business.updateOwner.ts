import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { BusinessOwnerUpdateInput } from "./business-owner-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { BusinessOwnerId, Strict } from "./schema.js";

export const businessUpdateOwner = defineMethod({
  name: "business.updateOwner",
  summary:
    "Update an owner association: a given field replaces the stored one, null unsets it (ownership_type: OWNERSHIP_PRONG); person_id cannot change.",
  auth: true,
  write: true,
  request: Strict({
    business_owner_id: BusinessOwnerId,
    business_owner: Type.Optional(BusinessOwnerUpdateInput),
  }),
  response: Strict({}),
  errors: [
    BAD_FIELDS,
    notVisible("The owner association"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "CONTROL_PRONG_AGE_REQUIREMENT",
      when: "The owner would be CONTROL_PRONG and its person's date of birth is less than 18 years ago",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "OWNERSHIP_PERCENTAGE_EXCEEDED",
      when: "The owners' ownership percentages would add up to more than 100",
    },
    {
      code: "ACCOUNT_CONFIGURATION_VIOLATION",
      entity_type: "Business Owner",
      sub_code: "MINIMUM_OWNERSHIP_PERCENTAGE",
      when: "The owner would be OWNERSHIP_PRONG with a percentage below the account's minimum_ownership_percentage",
    },
  ],
  async handler(context, body) {
    await context.write("updateBusinessOwner", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      ownerId: body.business_owner_id,
      owner: body.business_owner,
    });
    return {};
  },
});
