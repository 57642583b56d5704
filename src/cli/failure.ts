/**
 * How a failed command is reported (operator.md, "Admin commands"): exit status 2 for a usage
 * error, 1 for anything else; one line on stderr, or with an admin command's or `call`'s --json
 * one JSON object `{"error":{"code","message"}}`. Nothing goes to stdout. (An error the API
 * answers is not a failure of this kind: `call` prints it itself, call.ts.)
 */
import { CommanderError } from "commander";
import { OperatorError } from "../admin/operator.js";
import { ConfigError } from "../config.js";
import { UsageError } from "./usage-error.js";

/** `usage` is exit 2; the rest are exit 1. */
export type FailureCode =
  | "usage"
  | "not_found"
  | "conflict"
  | "rejected"
  | "unavailable"
  | "bad_response"
  | "internal";

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

/** `vetted call` could not reach the server (refused, reset, unknown host). */
export class ServerUnreachableError extends Error {
  constructor(url: string, reason: unknown) {
    const cause = (reason as { cause?: unknown }).cause ?? reason;
    super(`cannot reach ${url}: ${messageOf(cause)}`);
    this.name = "ServerUnreachableError";
  }
}

/** The server answered, but not with a Vetted envelope: --url names something else. */
export class ServerAnswerError extends Error {
  constructor(url: string, reason: unknown) {
    super(`${url} did not answer with a Vetted envelope (${messageOf(reason)}); is --url a Vetted server?`);
    this.name = "ServerAnswerError";
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
  if (error instanceof DatabaseUnavailableError || error instanceof ServerUnreachableError) {
    return { exitCode: 1, code: "unavailable", message: oneLine(error.message) };
  }
  if (error instanceof ServerAnswerError) {
    return { exitCode: 1, code: "bad_response", message: oneLine(error.message) };
  }
  return { exitCode: 1, code: "internal", message: messageOf(error) };
}

export function formatFailure(failure: Failure, json: boolean): string {
  return json
    ? `${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`
    : `vetted: ${failure.message}\n`;
}

/**
 * Whether errors are printed as JSON: only admin commands and `call` take --json, and it must
 * count even when commander stops before parsing it (an unknown option earlier on the line).
 */
export function wantsJsonErrors(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  const options = end === -1 ? args : args.slice(0, end);
  return (options[0] === "admin" || options[0] === "call") && options.includes("--json");
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
