/** The errors of the locations' own rules (data.md §3.2, §3.4, §3.6), each worded once. */
import { type ApiError, configViolation, ruleViolation } from "../errors.js";

/** The account's `locations_enabled` is false (step 5 of data.md §2.1). */
export function locationsNotEnabled(): ApiError {
  return configViolation("Location", "FEATURE_NOT_ENABLED", "Locations are not enabled for this account");
}

/** 100 locations per subject record (data.md §3.2). */
export function maxLocationLimit(): ApiError {
  return ruleViolation(
    "Subject Record",
    "MAX_LOCATION_LIMIT",
    "The Subject Record cannot hold another location (100 per record)",
  );
}

export function duplicateLocationAssociation(): ApiError {
  return ruleViolation(
    "Business",
    "DUPLICATE_LOCATION_ASSOCIATION",
    "The location is already linked to the business",
  );
}

export function duplicateLocationBankAccountAssociation(): ApiError {
  return ruleViolation(
    "Location",
    "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
    "The bank account is already linked to the location with one of these purposes",
  );
}
