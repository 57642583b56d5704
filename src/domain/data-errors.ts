/**
 * The errors of subject-record data's own rules (data.md §3.7), each worded once. The rules that
 * rule indexes back (rule-indexes.ts) answer with these too, so a race's loser gets the same error
 * as a request that came second.
 */
import { type ApiError, ruleViolation } from "../errors.js";

/** One business per BUSINESS subject record, none on a PERSON one (data.md §3.2). */
export function maxBusinessLimit(): ApiError {
  return ruleViolation(
    "Subject Record",
    "MAX_BUSINESS_LIMIT",
    "The Subject Record cannot hold another business (one per BUSINESS record, none per PERSON record)",
  );
}

export function salesInfoAlreadyExists(): ApiError {
  return ruleViolation("Business", "SALES_INFO_ALREADY_EXISTS", "The business already has sales info");
}

export function duplicateOwnerAssociation(): ApiError {
  return ruleViolation(
    "Business",
    "DUPLICATE_OWNER_ASSOCIATION",
    "The person is already an owner of the business",
  );
}

export function singlePrimaryBankAccount(): ApiError {
  return ruleViolation(
    "Business",
    "SINGLE_PRIMARY_BANK_ACCOUNT",
    "The business already has a bank account with purpose PRIMARY",
  );
}

export function duplicateBankAccountAssociation(): ApiError {
  return ruleViolation(
    "Business",
    "DUPLICATE_BANK_ACCOUNT_ASSOCIATION",
    "The bank account is already linked to the business with one of these purposes (or with none)",
  );
}

export function duplicatedIssuedIdentifier(): ApiError {
  return ruleViolation(
    "Person",
    "DUPLICATED_ISSUED_IDENTIFIER",
    "The person already has an issued identifier of this type",
  );
}

// person.* and person.issuedIdentifier.* (data.md §6).

/** 100 persons per BUSINESS subject record, 1 per PERSON one (data.md §3.2). */
export function maxPersonLimit(): ApiError {
  return ruleViolation(
    "Subject Record",
    "MAX_PERSON_LIMIT",
    "The Subject Record cannot hold another person (100 per BUSINESS record, 1 per PERSON record)",
  );
}

export function controlProngAgeRequirement(): ApiError {
  return ruleViolation(
    "Business",
    "CONTROL_PRONG_AGE_REQUIREMENT",
    "A control-prong owner must be 18 or older",
  );
}

export function invalidIssuedIdentifierType(): ApiError {
  return ruleViolation(
    "Person",
    "INVALID_ISSUED_IDENTIFIER_TYPE",
    "The issued identifier type is not one of the account's PERSON_ISSUED_IDENTIFIER_TYPES",
  );
}
