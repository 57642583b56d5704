/**
 * How the client-side commands (`vetted listen`, `vetted trigger`) find the server and sign:
 * `--url` / VETTED_URL (default http://127.0.0.1:8080); the credential from VETTED_API_KEY,
 * VETTED_SECRET_KEY, VETTED_AUTH_TOKEN, or from `--credentials-file` (the JSON `vetted demo`
 * saves: api_key, secret_key, auth_token). Secrets never come from the command line, where other
 * users could read them; `--api-key` may, it is not secret.
 */
import fs from "node:fs";
import type { ClientOptions } from "@vetted/client";
import type { Command } from "commander";
import { UsageError } from "./usage-error.js";

export const DEFAULT_URL = "http://127.0.0.1:8080";

export interface ClientFlags {
  url?: string;
  apiKey?: string;
  credentialsFile?: string;
}

export function addClientOptions(command: Command): Command {
  return command
    .option("--url <url>", `the Vetted server (VETTED_URL, default ${DEFAULT_URL})`)
    .option("--api-key <key>", "the credential's API key (VETTED_API_KEY)")
    .option(
      "--credentials-file <file>",
      "JSON with api_key, secret_key, auth_token, e.g. data/demo-credentials.json (else VETTED_SECRET_KEY and VETTED_AUTH_TOKEN)",
    );
}

function readCredentialsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--credentials-file ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Reported below, with the file's name.
  }
  throw new UsageError(`--credentials-file ${file} is not a JSON object`);
}

export function clientOptionsOf(flags: ClientFlags, env: NodeJS.ProcessEnv): ClientOptions {
  const file = flags.credentialsFile === undefined ? {} : readCredentialsFile(flags.credentialsFile);
  const pick = (fromFile: unknown, fromEnv: string | undefined) =>
    typeof fromFile === "string" && fromFile !== "" ? fromFile : fromEnv || undefined;
  const apiKey = flags.apiKey ?? pick(file.api_key, env.VETTED_API_KEY);
  const secretKey = pick(file.secret_key, env.VETTED_SECRET_KEY);
  const authToken = pick(file.auth_token, env.VETTED_AUTH_TOKEN);
  const missing = [
    apiKey ? undefined : "API key (--api-key or VETTED_API_KEY)",
    secretKey ? undefined : "secret key (VETTED_SECRET_KEY)",
    authToken ? undefined : "auth token (VETTED_AUTH_TOKEN)",
  ].filter((item) => item !== undefined);
  if (missing.length > 0 || !apiKey || !secretKey || !authToken) {
    throw new UsageError(`a credential is needed: ${missing.join(", ")}, or --credentials-file`);
  }
  const baseUrl = flags.url ?? (env.VETTED_URL || DEFAULT_URL);
  httpUrl(baseUrl, "--url");
  return { baseUrl, apiKey, secretKey, authToken };
}

/** An absolute http(s) URL, or a usage error naming the flag. */
export function httpUrl(value: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an http:// or https:// URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`${flag} must be an http:// or https:// URL, got "${value}"`);
  return url;
}

/** An account ID as a flag value (sb_… or lv_…), checked before any request. */
export function accountValue(value: string): string {
  if (!/^(sb|lv)_[0-9A-Za-z]{1,64}$/.test(value))
    throw new UsageError(`--account must be an account ID (sb_… or lv_…), got "${value}"`);
  return value;
}
