/**
 * The data-settings flags of `vetted admin account create|update` (operator.md, data.md §3.6).
 * Each value's form and range are checked here, while commander parses (a usage error, exit 2);
 * what is well-formed but refused — an unknown or repeated requirement key, a repeated value, a
 * clash with a built-in value — is the operator's to refuse (exit 1, admin/operator.ts).
 */
import { type Command, Option } from "commander";
import { settingFlag } from "../admin/operator.js";
import {
  type AccountDataSettingName,
  type AccountDataSettings,
  COMPLETION_REQUIREMENT_KEYS,
  type CompletionRequirementKey,
  ENUM_TOKEN_PATTERN,
  EXTENDABLE_ENUMS,
  type ExtendableEnumSetting,
  LIMIT_RANGE,
  MAX_EXTRA_ENUM_VALUES,
  PERCENTAGE_RANGE,
} from "../domain/account-settings.js";
import { listValue } from "./flag-values.js";
import { UsageError } from "./usage-error.js";

function booleanValue(flag: string): (value: string) => boolean {
  return (value) => {
    if (value === "true" || value === "false") return value === "true";
    throw new UsageError(`${flag} must be true or false, got ${JSON.stringify(value)}`);
  };
}

/** `none` stays a word here: commander takes a parser's null for "no value" and stores "". */
function integerValue(flag: string, range: { min: number; max: number }, orNone = false) {
  return (value: string): number | "none" => {
    if (orNone && value === "none") return "none";
    const number = /^[0-9]{1,10}$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= range.min && number <= range.max)) {
      throw new UsageError(
        `${flag} must be an integer from ${range.min} to ${range.max}${orNone ? " or none" : ""}, got ${JSON.stringify(value)}`,
      );
    }
    return number;
  };
}

/** A list of enum tokens to add to a built-in enumeration; `""` is refused like any empty list. */
function enumTokensValue(setting: ExtendableEnumSetting) {
  const flag = settingFlag(setting);
  const items = listValue(flag);
  return (value: string): string[] => {
    const tokens = items(value);
    if (tokens.length > MAX_EXTRA_ENUM_VALUES)
      throw new UsageError(`${flag} takes at most ${MAX_EXTRA_ENUM_VALUES} values, got ${tokens.length}`);
    const bad = tokens.find((token) => !ENUM_TOKEN_PATTERN.test(token));
    if (bad !== undefined) {
      throw new UsageError(
        `${flag}: ${JSON.stringify(bad)} is not an enum token (A–Z first, then A–Z, 0–9 or _, at most 50)`,
      );
    }
    return tokens;
  };
}

interface SettingOption {
  setting: AccountDataSettingName;
  argument: string;
  help: string;
  parse(value: string): unknown;
  /** The setting's value from the parsed one, when they differ. */
  toSetting?(parsed: unknown): unknown;
}

const LIMIT_HELP = `${LIMIT_RANGE.min}–${LIMIT_RANGE.max}`;

const SETTING_OPTIONS: SettingOption[] = [
  {
    setting: "completion_requirements",
    argument: "<keys>",
    help: `comma-separated, in order, from ${COMPLETION_REQUIREMENT_KEYS.join(", ")}; "" for none`,
    parse: listValue(settingFlag("completion_requirements"), { allowEmpty: true }),
  },
  {
    setting: "locations_enabled",
    argument: "<bool>",
    help: "true (default) or false",
    parse: booleanValue(settingFlag("locations_enabled")),
  },
  ...(
    [
      "max_owners_per_business",
      "max_bank_accounts_per_business",
      "max_bank_accounts_per_subject_record",
    ] as const
  ).map((setting) => ({
    setting,
    argument: "<n>",
    help: LIMIT_HELP,
    parse: integerValue(settingFlag(setting), LIMIT_RANGE),
  })),
  {
    setting: "minimum_ownership_percentage",
    argument: "<n|none>",
    help: `${PERCENTAGE_RANGE.min}–${PERCENTAGE_RANGE.max}, or none (the default) for no minimum`,
    parse: integerValue(settingFlag("minimum_ownership_percentage"), PERCENTAGE_RANGE, true),
    toSetting: (parsed) => (parsed === "none" ? null : parsed),
  },
  ...(Object.keys(EXTENDABLE_ENUMS) as ExtendableEnumSetting[]).map((setting) => ({
    setting,
    argument: "<values>",
    help: `comma-separated values added to the built-in ${EXTENDABLE_ENUMS[setting].join(", ")}; replaces the stored list`,
    parse: enumTokensValue(setting),
  })),
];

function optionOf(setting: SettingOption): Option {
  return new Option(`${settingFlag(setting.setting)} ${setting.argument}`, setting.help).argParser(
    setting.parse,
  );
}

/** Adds every data-settings flag to an `account create` or `account update` command. */
export function addDataSettingOptions(command: Command): Command {
  for (const setting of SETTING_OPTIONS) command.addOption(optionOf(setting));
  return command;
}

/** The settings the flags named, by setting: a flag left out is not in it. */
export function dataSettingsOf(options: object): Partial<AccountDataSettings> {
  const values = options as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const setting of SETTING_OPTIONS) {
    const value = values[optionOf(setting).attributeName()];
    if (value !== undefined) settings[setting.setting] = setting.toSetting ? setting.toSetting(value) : value;
  }
  // The parsers above made each value its setting's type; the requirement keys are checked by
  // the operator (an unknown one is exit 1, not a usage error).
  return settings as Partial<AccountDataSettings> & { completion_requirements?: CompletionRequirementKey[] };
}
