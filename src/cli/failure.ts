/**
 * How a failed command is reported (operator.md, "Admin commands"): exit status 2 for a usage
 * error, 1 for anything else; one line on stderr, or with an admin command's --json one JSON
 * object `{"error":{"code","message"}}`. Nothing goes to stdout.
 */
import { CommanderError } from "commander";
import { OperatorError } from "../admin/operator.js";
import { ConfigError } from "../config.js";
import { UsageError } from "./usage-error.js";

/** `usage` is exit 2; the rest are exit 1. */
export type FailureCode = "usage" | "not_found" | "conflict" | "rejected" | "unavailable" | "internal";

export interface Failure {
  exitCode: 1 | 2;
  code: FailureCode;
  message: string;
}

/**
 * The database could not be opened, migrated or reached. Admin commands wrap such errors where they
 * load the store, so this module (loaded by every command) stays free of the drivers.
 */
export class DatabaseUnavailableError extends Error {
  constructor(readonly reason: unknown) {
    super(`the database is unavailable: ${messageOf(reason)}`);
    this.name = "DatabaseUnavailableError";
  }
}

/** `args` are the command-line arguments after `node vetted`. */
export function describeFailure(error: unknown, args: readonly string[]): Failure {
  if (error instanceof CommanderError) {
    // Commander reports "no subcommand given" by printing help (silenced here) with this code.
    const message =
      error.code === "commander.help"
        ? `missing command: see '${commandWords(args)} --help'`
        : error.message.replace(/^error: /, "");
    return usage(message);
  }
  if (error instanceof ConfigError || error instanceof UsageError) return usage(error.message);
  if (error instanceof OperatorError) {
    return error.code === "invalid_value"
      ? usage(error.message)
      : { exitCode: 1, code: error.code, message: oneLine(error.message) };
  }
  if (error instanceof DatabaseUnavailableError) {
    return { exitCode: 1, code: "unavailable", message: oneLine(error.message) };
  }
  return { exitCode: 1, code: "internal", message: messageOf(error) };
}

export function formatFailure(failure: Failure, json: boolean): string {
  return json
    ? `${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`
    : `vetted: ${failure.message}\n`;
}

/**
 * Whether errors are printed as JSON: only admin commands take --json, and it must count even when
 * commander stops before parsing it (an unknown option earlier on the line).
 */
export function wantsJsonErrors(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  const options = end === -1 ? args : args.slice(0, end);
  return options[0] === "admin" && options.includes("--json");
}

/** "vetted admin org" from `admin org --json`: the command whose subcommand is missing. */
function commandWords(args: readonly string[]): string {
  const firstOption = args.findIndex((arg) => arg.startsWith("-"));
  return ["vetted", ...(firstOption === -1 ? args : args.slice(0, firstOption))].join(" ");
}

function usage(message: string): Failure {
  return { exitCode: 2, code: "usage", message: oneLine(message) };
}

/** Errors with no message of their own (an AggregateError of connection attempts) say what they are. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return oneLine(String(error));
  const nested = (error as { errors?: unknown[] }).errors;
  if (error.message === "" && nested && nested.length > 0) return messageOf(nested[0]);
  return oneLine(error.message || (error as { code?: string }).code || error.name);
}

// Commander's "Did you mean …?" hint and some driver messages span lines; the contract is one line.
function oneLine(message: string): string {
  return message.trim().replace(/\s*\n\s*/g, " ");
}
