import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { LOCATIONS_DISABLED } from "./location-error-docs.js";
import { LocationBankAccountId, Strict } from "./schema.js";

export const locationRemoveBankAccount = defineMethod({
  name: "location.removeBankAccount",
  summary: "Remove a bank-account association of a location (the bank account stays).",
  auth: true,
  write: true,
  request: Strict({ location_bank_account_id: LocationBankAccountId }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed location_bank_account_id" },
    notVisible("The location bank account"),
    LOCATIONS_DISABLED,
    DATA_FROZEN,
  ],
  async handler(context, body) {
    await context.write("removeLocationBankAccount", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      associationId: body.location_bank_account_id,
    });
    return {};
  },
});
