/**
 * One description of every setting: its flag, its environment variable, its default and how it is
 * checked. Parsed once at start-up (flags, then environment, then defaults); nothing else in the
 * code reads process.env.
 */
import path from "node:path";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseTarget = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export interface Config {
  dataDir: string;
  database: DatabaseTarget;
  port: number;
  host: string;
  /** Base64 of 32 bytes from VETTED_MASTER_KEY, or undefined to use the key file. */
  masterKey: string | undefined;
  masterKeyFile: string;
  maxClockSkewSeconds: number;
  bodyLimit: number;
  logLevel: LogLevel;
  metrics: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`invalid configuration: ${setting}: ${message}`);
    this.name = "ConfigError";
  }
}

/** Values given as command-line flags (commander's camelCase names). */
export interface ConfigFlags {
  dataDir?: string;
  database?: string;
  port?: string;
  host?: string;
  masterKeyFile?: string;
  maxClockSkew?: string;
  bodyLimit?: string;
  logLevel?: string;
  metrics?: string;
}

type Env = Record<string, string | undefined>;

function pick(flag: string | undefined, env: Env, name: string): string | undefined {
  return flag ?? env[name];
}

function integer(setting: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(setting, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(setting, `must be between ${min} and ${max}`);
  return value;
}

function boolean(setting: string, raw: string): boolean {
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(setting, `expected true or false, got "${raw}"`);
}

export function parseDatabaseUrl(setting: string, raw: string): DatabaseTarget {
  if (raw === "sqlite::memory:") return { kind: "sqlite", path: ":memory:" };
  if (raw.startsWith("sqlite:")) {
    const file = raw.slice("sqlite:".length);
    if (file === "") throw new ConfigError(setting, "sqlite: needs a file path");
    return { kind: "sqlite", path: file };
  }
  if (raw.startsWith("postgres://") || raw.startsWith("postgresql://")) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError(setting, "not a valid postgres:// URL");
    }
    return { kind: "postgres", url: raw };
  }
  throw new ConfigError(setting, "expected sqlite:<path>, sqlite::memory: or postgres://user@host:port/db");
}

export function parseConfig(flags: ConfigFlags, env: Env): Config {
  const dataDir = pick(flags.dataDir, env, "VETTED_DATA_DIR") ?? "./data";
  if (dataDir.trim() === "") throw new ConfigError("--data-dir", "must not be empty");

  const databaseRaw = pick(flags.database, env, "VETTED_DATABASE_URL");
  const database = databaseRaw
    ? parseDatabaseUrl("--database", databaseRaw)
    : ({ kind: "sqlite", path: path.join(dataDir, "vetted.db") } as const);

  const masterKey = flags.masterKeyFile ? undefined : env.VETTED_MASTER_KEY;
  if (masterKey !== undefined && Buffer.from(masterKey, "base64").length !== 32) {
    throw new ConfigError("VETTED_MASTER_KEY", "must be the Base64 encoding of exactly 32 bytes");
  }

  const logLevel = pick(flags.logLevel, env, "VETTED_LOG_LEVEL") ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError("--log-level", `expected one of ${LOG_LEVELS.join(", ")}`);
  }

  return {
    dataDir,
    database,
    port: integer("--port", pick(flags.port, env, "VETTED_PORT") ?? "8080", 0, 65535),
    host: pick(flags.host, env, "VETTED_HOST") ?? "127.0.0.1",
    masterKey,
    masterKeyFile: flags.masterKeyFile ?? path.join(dataDir, "master.key"),
    maxClockSkewSeconds: integer(
      "--max-clock-skew",
      pick(flags.maxClockSkew, env, "VETTED_MAX_CLOCK_SKEW_S") ?? "300",
      1,
      86_400,
    ),
    bodyLimit: integer(
      "--body-limit",
      pick(flags.bodyLimit, env, "VETTED_BODY_LIMIT") ?? "1048576",
      1024,
      64 << 20,
    ),
    logLevel: logLevel as LogLevel,
    metrics: boolean("--metrics", pick(flags.metrics, env, "VETTED_METRICS") ?? "true"),
  };
}
