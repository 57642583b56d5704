import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { CROSS_RECORD, LOCATIONS_DISABLED } from "./location-error-docs.js";
import { LocationBankAccountPurposes, locationPurposesIssues } from "./location-fields.js";
import { LocationBankAccountObject, presentLocationBankAccount } from "./location-objects.js";
import { BankAccountId, LocationId, Strict } from "./schema.js";

export const locationAddBankAccount = defineMethod({
  name: "location.addBankAccount",
  summary:
    "Link a bank account of the same subject record to a location, with 1 to 10 purposes (FEES, SETTLEMENT and the account's own).",
  auth: true,
  write: true,
  request: Strict({
    location_id: LocationId,
    location_bank_account: Strict({
      bank_account_id: BankAccountId,
      bank_account_purposes: LocationBankAccountPurposes,
    }),
  }),
  response: Type.Object({ location_bank_account: LocationBankAccountObject }),
  refine: (body) => locationPurposesIssues(body.location_bank_account),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed fields; no purpose, a purpose repeated or not among the account's location bank-account purposes",
    },
    notVisible("The location or the bank account"),
    LOCATIONS_DISABLED,
    DATA_FROZEN,
    CROSS_RECORD,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Location",
      sub_code: "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
      when: "The bank account is already linked to the location with one of these purposes",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const association = await context.write("addLocationBankAccount", {
      ...callerScope(context),
      now,
      association: {
        id: newId("locationBankAccount"),
        location_id: body.location_id,
        bank_account_id: body.location_bank_account.bank_account_id,
        bank_account_purposes: body.location_bank_account.bank_account_purposes,
        created_at: now,
        updated_at: now,
      },
    });
    return { location_bank_account: presentLocationBankAccount(association) };
  },
});
