/**
 * An account's data settings (data.md §3.6): what the operator configures per account beside
 * `allow_multiple_applications_per_email` — the completion requirements, the locations feature,
 * the per-business and per-record limits, and the enumeration values the account adds.
 */
import {
  COMPLETION_REQUIREMENT_KEYS,
  type CompletionRequirementKey,
  DEFAULT_COMPLETION_REQUIREMENTS,
} from "./completion-requirements.js";
import type { DomainReads } from "./domain-store.js";

export { COMPLETION_REQUIREMENT_KEYS, type CompletionRequirementKey, DEFAULT_COMPLETION_REQUIREMENTS };

export interface AccountDataSettings {
  /** Evaluated in this order after the started check (data.md §14). */
  completion_requirements: CompletionRequirementKey[];
  locations_enabled: boolean;
  max_owners_per_business: number;
  max_bank_accounts_per_business: number;
  max_bank_accounts_per_subject_record: number;
  /** null: off. */
  minimum_ownership_percentage: number | null;
  /** Extra values, added to the built-in ones (`allowed…` below). */
  bank_account_purposes: string[];
  location_bank_account_purposes: string[];
  issued_identifier_types: string[];
}

export type AccountDataSettingName = keyof AccountDataSettings;

/**
 * What a new account gets, as a fresh object. Accounts that existed before the settings did got
 * the same, except `completion_requirements: []`, so that their completion behaviour did not
 * change (migration 005).
 */
export function defaultAccountDataSettings(): AccountDataSettings {
  return {
    completion_requirements: [...DEFAULT_COMPLETION_REQUIREMENTS],
    locations_enabled: true,
    max_owners_per_business: 25,
    max_bank_accounts_per_business: 20,
    max_bank_accounts_per_subject_record: 50,
    minimum_ownership_percentage: null,
    bank_account_purposes: [],
    location_bank_account_purposes: [],
    issued_identifier_types: [],
  };
}

// The built-in values of the enumerations an account can extend (data.md §2.5).
export const BUILT_IN_BANK_ACCOUNT_PURPOSES = ["PRIMARY", "FEES", "SETTLEMENT"] as const;
export const BUILT_IN_LOCATION_BANK_ACCOUNT_PURPOSES = ["FEES", "SETTLEMENT"] as const;
export const BUILT_IN_PERSON_ISSUED_IDENTIFIER_TYPES = [
  "MEDICAL_LICENSE",
  "DRIVERS_LICENSE",
  "PASSPORT",
  "STATE_ID",
] as const;

/** Each extendable enumeration: its setting and its built-in values. */
export const EXTENDABLE_ENUMS = {
  bank_account_purposes: BUILT_IN_BANK_ACCOUNT_PURPOSES,
  location_bank_account_purposes: BUILT_IN_LOCATION_BANK_ACCOUNT_PURPOSES,
  issued_identifier_types: BUILT_IN_PERSON_ISSUED_IDENTIFIER_TYPES,
} as const;
export type ExtendableEnumSetting = keyof typeof EXTENDABLE_ENUMS;

/** The built-in values, then the account's own, in the order the operator gave them. */
export function allowedValues(settings: AccountDataSettings, setting: ExtendableEnumSetting): string[] {
  return [...EXTENDABLE_ENUMS[setting], ...settings[setting]];
}

/** The account's `BANK_ACCOUNT_PURPOSES` (data.md §2.5, step 4 of §2.1). */
export const allowedBankAccountPurposes = (settings: AccountDataSettings) =>
  allowedValues(settings, "bank_account_purposes");
/** The account's `LOCATION_BANK_ACCOUNT_PURPOSES`. */
export const allowedLocationBankAccountPurposes = (settings: AccountDataSettings) =>
  allowedValues(settings, "location_bank_account_purposes");
/** The account's `PERSON_ISSUED_IDENTIFIER_TYPES` (outside it: SRV, step 9, not BR). */
export const allowedIssuedIdentifierTypes = (settings: AccountDataSettings) =>
  allowedValues(settings, "issued_identifier_types");

/** data.md §2.4 "enum token": the form of account-added values. */
export const ENUM_TOKEN_PATTERN = /^[A-Z][A-Z0-9_]{0,49}$/;
/** Vetted's bound on the values one account may add to one enumeration. */
export const MAX_EXTRA_ENUM_VALUES = 100;
/** operator.md: the three limits are 1–1000. */
export const LIMIT_RANGE = { min: 1, max: 1000 } as const;
export const PERCENTAGE_RANGE = { min: 0, max: 100 } as const;

/**
 * Why a change of settings is refused, if it is. `malformed`: a value outside its form or range
 * (the operator's usage error); `refused`: well-formed but not allowed — an unknown or repeated
 * requirement key, a repeated value, a value that clashes with a built-in one.
 */
export interface SettingsProblem {
  setting: AccountDataSettingName;
  kind: "malformed" | "refused";
  message: string;
}

const isIntegerIn = (value: number, range: { min: number; max: number }) =>
  Number.isInteger(value) && value >= range.min && value <= range.max;

function firstRepeat(values: readonly string[]): string | undefined {
  return values.find((value, i) => values.indexOf(value) !== i);
}

function listProblem(setting: ExtendableEnumSetting, values: readonly string[]): SettingsProblem | undefined {
  const malformed = (message: string): SettingsProblem => ({ setting, kind: "malformed", message });
  const refused = (message: string): SettingsProblem => ({ setting, kind: "refused", message });
  if (values.length > MAX_EXTRA_ENUM_VALUES) return malformed(`at most ${MAX_EXTRA_ENUM_VALUES} values`);
  const bad = values.find((value) => !ENUM_TOKEN_PATTERN.test(value));
  if (bad !== undefined)
    return malformed(`${JSON.stringify(bad)} is not an enum token (${ENUM_TOKEN_PATTERN.source})`);
  const repeated = firstRepeat(values);
  if (repeated !== undefined) return refused(`${repeated} is given twice`);
  const builtIn: readonly string[] = EXTENDABLE_ENUMS[setting];
  const clash = values.find((value) => builtIn.includes(value));
  if (clash !== undefined) return refused(`${clash} is a built-in value (built in: ${builtIn.join(", ")})`);
  return undefined;
}

/** The first problem of a change of settings, in data.md §3.6's order of the settings. */
export function settingsProblem(patch: Partial<AccountDataSettings>): SettingsProblem | undefined {
  const keys = patch.completion_requirements;
  if (keys !== undefined) {
    const known: readonly string[] = COMPLETION_REQUIREMENT_KEYS;
    const unknown = keys.find((key) => !known.includes(key));
    if (unknown !== undefined) {
      return {
        setting: "completion_requirements",
        kind: "refused",
        message: `unknown key ${JSON.stringify(unknown)} (known: ${COMPLETION_REQUIREMENT_KEYS.join(", ")})`,
      };
    }
    const repeated = firstRepeat(keys);
    if (repeated !== undefined)
      return { setting: "completion_requirements", kind: "refused", message: `${repeated} is given twice` };
  }
  for (const setting of [
    "max_owners_per_business",
    "max_bank_accounts_per_business",
    "max_bank_accounts_per_subject_record",
  ] as const) {
    const value = patch[setting];
    if (value !== undefined && !isIntegerIn(value, LIMIT_RANGE)) {
      return {
        setting,
        kind: "malformed",
        message: `must be an integer from ${LIMIT_RANGE.min} to ${LIMIT_RANGE.max}`,
      };
    }
  }
  const minimum = patch.minimum_ownership_percentage;
  if (minimum !== undefined && minimum !== null && !isIntegerIn(minimum, PERCENTAGE_RANGE)) {
    return {
      setting: "minimum_ownership_percentage",
      kind: "malformed",
      message: `must be an integer from ${PERCENTAGE_RANGE.min} to ${PERCENTAGE_RANGE.max}, or none`,
    };
  }
  for (const setting of Object.keys(EXTENDABLE_ENUMS) as ExtendableEnumSetting[]) {
    const values = patch[setting];
    const problem = values === undefined ? undefined : listProblem(setting, values);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The settings of an account, for a rule that depends on them. The account is one the caller
 * already found (through a visible subject record or entity), so its absence is a bug.
 */
export async function accountDataSettings(
  reads: Pick<DomainReads, "getAccountDataSettings">,
  accountId: string,
): Promise<AccountDataSettings> {
  const settings = await reads.getAccountDataSettings(accountId);
  if (!settings) throw new Error(`account ${accountId} has no data settings: it does not exist`);
  return settings;
}
