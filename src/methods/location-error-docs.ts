/** Error documentation shared by the location methods (data.md §5.4, §8). */
import type { DocumentedError } from "./define.js";

/** Step 5 of data.md §2.1: the account has `locations_enabled: false`. */
export const LOCATIONS_DISABLED: DocumentedError = {
  code: "ACCOUNT_CONFIGURATION_VIOLATION",
  entity_type: "Location",
  sub_code: "FEATURE_NOT_ENABLED",
  when: "The account's locations_enabled setting is false",
};

export const CROSS_RECORD: DocumentedError = {
  code: "SYSTEM_RULE_VIOLATION",
  entity_type: "Subject Record",
  sub_code: "CROSS_SUBJECT_RECORD_REFERENCE",
  when: "The entities to link belong to different subject records",
};
