import { Type } from "@sinclair/typebox";
import { DEFAULT_OWNERSHIP_TYPE } from "../domain/business-owners.js";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { BusinessOwnerAddInput } from "./business-owner-fields.js";
import { BAD_FIELDS, DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { BusinessOwnerObject, presentBusinessOwner } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { BusinessId, Strict } from "./schema.js";

export const businessAddOwner = defineMethod({
  name: "business.addOwner",
  summary:
    "Make a person of the business's subject record an owner of the business; ownership_type defaults to OWNERSHIP_PRONG.",
  auth: true,
  write: true,
  request: Strict({ business_id: BusinessId, business_owner: BusinessOwnerAddInput }),
  response: Type.Object({ business_owner: BusinessOwnerObject }),
  errors: [
    BAD_FIELDS,
    notVisible("The business or the person"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "CROSS_SUBJECT_RECORD_REFERENCE",
      when: "The person belongs to another subject record than the business",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "DUPLICATE_OWNER_ASSOCIATION",
      when: "The person already owns the business",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "CONTROL_PRONG_AGE_REQUIREMENT",
      when: "A CONTROL_PRONG owner's person has a date of birth less than 18 years ago",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Business",
      sub_code: "OWNERSHIP_PERCENTAGE_EXCEEDED",
      when: "The owners' ownership percentages would add up to more than 100",
    },
    {
      code: "ACCOUNT_CONFIGURATION_VIOLATION",
      entity_type: "Business",
      sub_code: "MAX_OWNER_LIMIT",
      when: "The business already has the account's max_owners_per_business owners",
    },
    {
      code: "ACCOUNT_CONFIGURATION_VIOLATION",
      entity_type: "Business Owner",
      sub_code: "MINIMUM_OWNERSHIP_PERCENTAGE",
      when: "An OWNERSHIP_PRONG owner's percentage is below the account's minimum_ownership_percentage",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const given = body.business_owner;
    const owner = await context.write("addBusinessOwner", {
      ...callerScope(context),
      now,
      owner: {
        id: newId("businessOwner"),
        business_id: body.business_id,
        person_id: given.person_id,
        ownership_type: given.ownership_type ?? DEFAULT_OWNERSHIP_TYPE,
        ownership_percentage: given.ownership_percentage ?? null,
        ownership_year_month: given.ownership_year_month ?? null,
        business_person_position: given.business_person_position ?? null,
        created_at: now,
        updated_at: now,
      },
    });
    return { business_owner: presentBusinessOwner(owner) };
  },
});
