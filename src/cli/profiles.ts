/**
 * Saved credentials for the client commands (`vetted login`, `vetted call --profile`). One JSON
 * file, `{"profiles":{"<name>":{"url"?,"api_key","secret_key","auth_token"}}}`, at
 * VETTED_PROFILES_FILE, else $XDG_CONFIG_HOME/vetted/profiles.json, else
 * ~/.config/vetted/profiles.json. It holds secrets, so it is the owner's alone: created 0600 in a
 * directory created 0700, rewritten through a temporary file and a rename (a crash leaves the old
 * file or the new one, never half of one), and refused when others can read it, as ssh does.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertOwnerOnly, makePrivateDir } from "../private-files.js";
import { UsageError } from "./usage-error.js";

export const DEFAULT_PROFILE = "default";

export interface Profile {
  /** Absent: the client's default URL. */
  url?: string;
  api_key: string;
  secret_key: string;
  auth_token: string;
}

type Profiles = Record<string, Profile>;

export function profilesFile(env: NodeJS.ProcessEnv): string {
  if (env.VETTED_PROFILES_FILE) return path.resolve(env.VETTED_PROFILES_FILE);
  const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(configHome, "vetted", "profiles.json");
}

/** A profile name as a flag value: short, and safe to print. */
export function profileName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
    throw new UsageError(
      `--profile must be 1–64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got "${value}"`,
    );
  }
  return value;
}

function isProfile(value: unknown): value is Profile {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  const text = (key: string) => typeof record[key] === "string" && record[key] !== "";
  return (
    text("api_key") && text("secret_key") && text("auth_token") && (record.url === undefined || text("url"))
  );
}

/** Every saved profile; none when the file does not exist yet. */
export function readProfiles(file: string): Profiles {
  assertOwnerOnly(file, "VETTED_PROFILES_FILE");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return {};
    throw new UsageError(`${file} cannot be read: ${(error as Error).message}`);
  }
  const broken = () => new UsageError(`${file} is not a Vetted profiles file; fix it or remove it`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw broken();
  }
  const profiles = (parsed as { profiles?: unknown } | null)?.profiles;
  if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles)) throw broken();
  if (!Object.values(profiles).every(isProfile)) throw broken();
  return profiles as Profiles;
}

function writeProfiles(file: string, profiles: Profiles): void {
  makePrivateDir(path.dirname(file));
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const descriptor = fs.openSync(temporary, "wx", 0o600);
  try {
    fs.writeFileSync(descriptor, `${JSON.stringify({ profiles }, null, 2)}\n`);
    fs.fsyncSync(descriptor);
  } catch (error) {
    fs.closeSync(descriptor);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(descriptor);
  fs.renameSync(temporary, file);
}

export function saveProfile(file: string, name: string, profile: Profile): void {
  writeProfiles(file, { ...readProfiles(file), [name]: profile });
}

/** False when there was no such profile. */
export function removeProfile(file: string, name: string): boolean {
  const profiles = readProfiles(file);
  if (!Object.hasOwn(profiles, name)) return false;
  const { [name]: _removed, ...rest } = profiles;
  writeProfiles(file, rest);
  return true;
}
