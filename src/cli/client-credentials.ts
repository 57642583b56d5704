/**
 * How the client-side commands (`vetted call`, `listen`, `trigger`) find the server and sign.
 * Each value is taken from the first place that has it: flags (`--url`, `--api-key`), then
 * VETTED_URL / VETTED_API_KEY / VETTED_SECRET_KEY / VETTED_AUTH_TOKEN, then the profile
 * (`--profile`, else VETTED_PROFILE, else `default`; profiles.ts), then `--credentials-file` (the
 * JSON `vetted demo` saves: api_key, secret_key, auth_token). The URL defaults to
 * http://127.0.0.1:8080. Secrets never come from the command line, where other users could read
 * them; `--api-key` may, it is not secret.
 */
import fs from "node:fs";
import type { ClientOptions } from "@vetted/client";
import type { Command } from "commander";
import { DEFAULT_PROFILE, type Profile, profileName, profilesFile, readProfiles } from "./profiles.js";
import { UsageError } from "./usage-error.js";

export const DEFAULT_URL = "http://127.0.0.1:8080";

export interface ClientFlags {
  url?: string;
  apiKey?: string;
  credentialsFile?: string;
  profile?: string;
}

export function addClientOptions(command: Command): Command {
  return command
    .option("--url <url>", `the Vetted server (VETTED_URL, default ${DEFAULT_URL})`)
    .option("--api-key <key>", "the credential's API key (VETTED_API_KEY)")
    .option(
      "--profile <name>",
      `credentials saved by 'vetted login' (VETTED_PROFILE, default ${DEFAULT_PROFILE})`,
      profileName,
    )
    .option(
      "--credentials-file <file>",
      "JSON with api_key, secret_key, auth_token, e.g. data/demo-credentials.json (else VETTED_SECRET_KEY and VETTED_AUTH_TOKEN)",
    );
}

/** The JSON object in `file` (the credentials `vetted demo` saves), or a usage error naming `flag`. */
export function readCredentialsFile(file: string, flag = "--credentials-file"): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`${flag} ${file} cannot be read: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Reported below, with the file's name.
  }
  throw new UsageError(`${flag} ${file} is not a JSON object`);
}

/**
 * The chosen profile: one named by --profile or VETTED_PROFILE must exist; the `default` one is
 * used when it does.
 */
function chosenProfile(flags: ClientFlags, env: NodeJS.ProcessEnv): Partial<Profile> {
  const named = flags.profile ?? (env.VETTED_PROFILE ? profileName(env.VETTED_PROFILE) : undefined);
  const file = profilesFile(env);
  const profiles = readProfiles(file);
  const name = named ?? DEFAULT_PROFILE;
  // Own entries only: a profile called "constructor" must not find Object's.
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (named !== undefined && !profile) {
    throw new UsageError(`no profile "${named}" in ${file}; save one with 'vetted login --profile ${named}'`);
  }
  return profile ?? {};
}

/** Where `call` sends to: the same precedence as the credential, for commands that need no credential. */
export function baseUrlOf(flags: ClientFlags, env: NodeJS.ProcessEnv): string {
  return urlOf(flags, env, chosenProfile(flags, env));
}

function urlOf(flags: ClientFlags, env: NodeJS.ProcessEnv, profile: Partial<Profile>): string {
  const baseUrl = flags.url ?? (env.VETTED_URL || profile.url || DEFAULT_URL);
  httpUrl(baseUrl, "--url");
  return baseUrl;
}

export function clientOptionsOf(flags: ClientFlags, env: NodeJS.ProcessEnv): ClientOptions {
  const file = flags.credentialsFile === undefined ? {} : readCredentialsFile(flags.credentialsFile);
  const profile = chosenProfile(flags, env);
  const first = (...values: unknown[]) =>
    values.find((value): value is string => typeof value === "string" && value !== "");
  const apiKey = first(flags.apiKey, env.VETTED_API_KEY, profile.api_key, file.api_key);
  const secretKey = first(env.VETTED_SECRET_KEY, profile.secret_key, file.secret_key);
  const authToken = first(env.VETTED_AUTH_TOKEN, profile.auth_token, file.auth_token);
  const missing = [
    apiKey ? undefined : "API key (--api-key or VETTED_API_KEY)",
    secretKey ? undefined : "secret key (VETTED_SECRET_KEY)",
    authToken ? undefined : "auth token (VETTED_AUTH_TOKEN)",
  ].filter((item) => item !== undefined);
  if (missing.length > 0 || !apiKey || !secretKey || !authToken) {
    throw new UsageError(
      `a credential is needed: ${missing.join(", ")}; or save one with 'vetted login', or pass --credentials-file`,
    );
  }
  return { baseUrl: urlOf(flags, env, profile), apiKey, secretKey, authToken };
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
