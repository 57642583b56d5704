/**
 * Parsers for admin flag values shared by every command, used as commander argParsers so that a
 * bad value stops the command (exit 2) before it opens the database. Every `--name` goes through
 * `nameValue` and every comma-separated list through `listValue`.
 */
import { nameProblem } from "../admin/operator.js";
import { UsageError } from "./usage-error.js";

export function nameValue(value: string): string {
  const problem = nameProblem(value);
  if (problem) throw new UsageError(`--name ${problem}`);
  return value;
}

export interface ListFlagRules {
  /**
   * `""` is the empty list. Off by default: where leaving the flag out means "all" (`--accounts`),
   * an empty shell variable must not widen anything, so `""` is a usage error there.
   */
  allowEmpty?: boolean;
  /** What leaving the flag out means, for the message refusing `""`. */
  omittedMeans?: string;
}

/** A comma-separated list flag: items are trimmed, and an empty item (`"a,"`, `"a,,b"`, `" "`) is a usage error. */
export function listValue(flag: string, rules: ListFlagRules = {}): (value: string) => string[] {
  return (value) => {
    if (value === "") {
      if (rules.allowEmpty) return [];
      throw new UsageError(
        `${flag} must not be empty${rules.omittedMeans ? `: leave it out for ${rules.omittedMeans}` : ""}`,
      );
    }
    const items = value.split(",").map((item) => item.trim());
    if (items.includes("")) throw new UsageError(`${flag} has an empty item in ${JSON.stringify(value)}`);
    return items;
  };
}
