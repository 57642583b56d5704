/**
 * The errors of subject-record data's own rules (data.md §3.7), each worded once. The rules that
 * rule indexes back (rule-indexes.ts) answer with these too, so a race's loser gets the same error
 * as a request that came second.
 */
import { type ApiError, configViolation, ruleViolation } from "../errors.js";

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

// Bank accounts and their business associations (data.md §3.1, §3.2, §3.6, §5.3, §7).

/** Two entities of different subject records cannot be linked (data.md §3.1). */
export function crossSubjectRecordReference(): ApiError {
  return ruleViolation(
    "Subject Record",
    "CROSS_SUBJECT_RECORD_REFERENCE",
    "The entities to link belong to different subject records",
  );
}

/** `max_bank_accounts_per_subject_record` (data.md §3.6). */
export function maxSubjectRecordBankAccountLimit(): ApiError {
  return configViolation(
    "Subject Record",
    "MAX_BANK_ACCOUNT_LIMIT",
    "The Subject Record already holds as many bank accounts as the account allows",
  );
}

/** `max_bank_accounts_per_business`, counting associations (data.md §3.6). */
export function maxBusinessBankAccountLimit(): ApiError {
  return configViolation(
    "Business",
    "MAX_BANK_ACCOUNT_LIMIT",
    "The business already has as many bank-account associations as the account allows",
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

// Business owners (data.md §5.2); CONTROL_PRONG_AGE_REQUIREMENT is person.*'s above.

export function ownershipPercentageExceeded(): ApiError {
  return ruleViolation(
    "Business",
    "OWNERSHIP_PERCENTAGE_EXCEEDED",
    "The ownership percentages of the business's owners would add up to more than 100",
  );
}

export function maxOwnerLimit(): ApiError {
  return configViolation(
    "Business",
    "MAX_OWNER_LIMIT",
    "The business already has the number of owners the account allows",
  );
}

export function minimumOwnershipPercentage(): ApiError {
  return configViolation(
    "Business Owner",
    "MINIMUM_OWNERSHIP_PERCENTAGE",
    "An OWNERSHIP_PRONG owner's ownership_percentage is below the account's minimum",
  );
}

// Metadata (data.md §9).

export function duplicateMetadataType(): ApiError {
  return ruleViolation(
    "Metadata Type",
    "DUPLICATE_METADATA_TYPE",
    "The account already has a metadata type of this name",
  );
}

/** 200 metadata types per account (data.md §3.7). */
export function maxMetadataTypeDefinitions(): ApiError {
  return ruleViolation(
    "Metadata Type",
    "MAX_METADATA_TYPE_DEFINITIONS",
    "The account already has 200 metadata types, the most it can define",
  );
}

/** The type's `max_count`, or 1,000 when it is −1, entries per subject record (data.md §3.2). */
export function maxMetadataTypeLimit(): ApiError {
  return ruleViolation(
    "Subject Record",
    "MAX_METADATA_TYPE_LIMIT",
    "The Subject Record already holds as many entries of this metadata type as the type allows",
  );
}
