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
  /**
   * Opens (never seals) secrets sealed under the key being rotated away from: Base64 from
   * VETTED_PREVIOUS_MASTER_KEY, or a file named by --previous-master-key-file.
   */
  previousMasterKey: string | undefined;
  previousMasterKeyFile: string | undefined;
  maxClockSkewSeconds: number;
  bodyLimit: number;
  logLevel: LogLevel;
  metrics: boolean;
  /** Requests per second per credential (token bucket, in each process by default); 0 = off. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Keep the buckets in the database: one limit across every process, one write per request. */
  rateLimitShared: boolean;
  /** PostgreSQL connections per server process. */
  databasePoolSize: number;
  /** Server processes sharing the port (PostgreSQL only; SQLite has one writer). */
  workers: number;
  /**
   * Development only (webhooks.md): webhook endpoints may also be `http://` URLs on
   * localhost/127.0.0.1/[::1], and deliveries may go to them.
   */
  allowInsecureWebhooks: boolean;
  /**
   * How long one webhook attempt may take, whole (webhooks.md: 30 s). Environment only, for
   * tests that need a timeout to pass quickly.
   */
  webhookTimeoutMs: number;
  /** Absolute http(s) base of document upload and download URLs; undefined: the listening address. */
  publicUrl: string | undefined;
  /** Largest document, bytes (data.md §10.2). */
  documentMaxBytes: number;
  /** Upload window after document.create, seconds. */
  documentUploadTtlSeconds: number;
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
  previousMasterKeyFile?: string;
  maxClockSkew?: string;
  bodyLimit?: string;
  logLevel?: string;
  metrics?: string;
  rateLimit?: string;
  rateLimitBurst?: string;
  rateLimitShared?: string;
  dbPoolSize?: string;
  workers?: string;
  /** A switch: commander gives true when `--allow-insecure-webhooks` is present. */
  allowInsecureWebhooks?: boolean;
  publicUrl?: string;
  documentMaxBytes?: string;
  documentUploadTtl?: string;
}

type Env = Record<string, string | undefined>;

/** A raw value and the setting it came from, so an error names what the operator actually set. */
interface Given {
  raw: string;
  setting: string;
}

function pick(flag: string | undefined, flagName: string, env: Env, envName: string): Given | undefined {
  if (flag !== undefined) return { raw: flag, setting: flagName };
  const fromEnv = env[envName];
  // An empty variable counts as unset, as deployment tools often write `VAR=` to clear one.
  return fromEnv === undefined || fromEnv === "" ? undefined : { raw: fromEnv, setting: envName };
}

function integer(given: Given, min: number, max: number): number {
  const { raw, setting } = given;
  if (!/^\d+$/.test(raw)) throw new ConfigError(setting, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(setting, `must be between ${min} and ${max}, got ${raw}`);
  }
  return value;
}

function boolean({ raw, setting }: Given): boolean {
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(setting, `expected true or false, got "${raw}"`);
}

/** A setting with a default: the default is checked as if given by flag (it always passes). */
function pickOr(
  flag: string | undefined,
  flagName: string,
  env: Env,
  envName: string,
  fallback: string,
): Given {
  return pick(flag, flagName, env, envName) ?? { raw: fallback, setting: flagName };
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

export function parseConfig(flags: ConfigFlags, env: Env, cores = 1): Config {
  const dataDirGiven = pick(flags.dataDir, "--data-dir", env, "VETTED_DATA_DIR");
  const dataDir = dataDirGiven?.raw ?? "./data";
  if (dataDir.trim() === "")
    throw new ConfigError(dataDirGiven?.setting ?? "--data-dir", "must not be empty");

  const databaseGiven = pick(flags.database, "--database", env, "VETTED_DATABASE_URL");
  const database = databaseGiven
    ? parseDatabaseUrl(databaseGiven.setting, databaseGiven.raw)
    : ({ kind: "sqlite", path: path.join(dataDir, "vetted.db") } as const);

  const masterKey = flags.masterKeyFile ? undefined : env.VETTED_MASTER_KEY || undefined;
  if (masterKey !== undefined && !isBase64Of32Bytes(masterKey)) {
    throw new ConfigError("VETTED_MASTER_KEY", "must be the Base64 encoding of exactly 32 bytes");
  }
  const previousMasterKey = flags.previousMasterKeyFile
    ? undefined
    : env.VETTED_PREVIOUS_MASTER_KEY || undefined;
  if (previousMasterKey !== undefined && !isBase64Of32Bytes(previousMasterKey)) {
    throw new ConfigError("VETTED_PREVIOUS_MASTER_KEY", "must be the Base64 encoding of exactly 32 bytes");
  }

  const logLevel = pickOr(flags.logLevel, "--log-level", env, "VETTED_LOG_LEVEL", "info");
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel.raw)) {
    throw new ConfigError(
      logLevel.setting,
      `expected one of ${LOG_LEVELS.join(", ")}, got "${logLevel.raw}"`,
    );
  }

  return {
    dataDir,
    database,
    port: integer(pickOr(flags.port, "--port", env, "VETTED_PORT", "8080"), 0, 65535),
    host: pick(flags.host, "--host", env, "VETTED_HOST")?.raw ?? "127.0.0.1",
    masterKey,
    masterKeyFile: flags.masterKeyFile ?? path.join(dataDir, "master.key"),
    previousMasterKey,
    previousMasterKeyFile: flags.previousMasterKeyFile,
    maxClockSkewSeconds: integer(
      pickOr(flags.maxClockSkew, "--max-clock-skew", env, "VETTED_MAX_CLOCK_SKEW_S", "300"),
      1,
      86_400,
    ),
    bodyLimit: integer(
      pickOr(flags.bodyLimit, "--body-limit", env, "VETTED_BODY_LIMIT", "1048576"),
      1024,
      64 << 20,
    ),
    logLevel: logLevel.raw as LogLevel,
    metrics: boolean(pickOr(flags.metrics, "--metrics", env, "VETTED_METRICS", "true")),
    rateLimitPerSecond: integer(
      pickOr(flags.rateLimit, "--rate-limit", env, "VETTED_RATE_LIMIT", "100"),
      0,
      1_000_000,
    ),
    rateLimitBurst: integer(
      pickOr(flags.rateLimitBurst, "--rate-limit-burst", env, "VETTED_RATE_LIMIT_BURST", "200"),
      1,
      1_000_000,
    ),
    rateLimitShared: boolean(
      pickOr(flags.rateLimitShared, "--rate-limit-shared", env, "VETTED_RATE_LIMIT_SHARED", "false"),
    ),
    databasePoolSize: integer(
      pickOr(flags.dbPoolSize, "--db-pool-size", env, "VETTED_DB_POOL_SIZE", "10"),
      1,
      1000,
    ),
    workers: workersFor(database, pick(flags.workers, "--workers", env, "VETTED_WORKERS"), cores),
    allowInsecureWebhooks:
      flags.allowInsecureWebhooks === true ||
      boolean(pickOr(undefined, "--allow-insecure-webhooks", env, "VETTED_ALLOW_INSECURE_WEBHOOKS", "false")),
    webhookTimeoutMs: integer(
      pickOr(undefined, "VETTED_WEBHOOK_TIMEOUT_MS", env, "VETTED_WEBHOOK_TIMEOUT_MS", "30000"),
      100,
      30_000,
    ),
    publicUrl: publicUrlOf(pick(flags.publicUrl, "--public-url", env, "VETTED_PUBLIC_URL")),
    documentMaxBytes: integer(
      pickOr(flags.documentMaxBytes, "--document-max-bytes", env, "VETTED_DOCUMENT_MAX_BYTES", "26214400"),
      1,
      1 << 30,
    ),
    documentUploadTtlSeconds: integer(
      pickOr(flags.documentUploadTtl, "--document-upload-ttl", env, "VETTED_DOCUMENT_UPLOAD_TTL_S", "900"),
      60,
      3600,
    ),
  };
}

/** An absolute http(s) URL, kept without its trailing slash so paths append cleanly. */
function publicUrlOf(given: Given | undefined): string | undefined {
  if (!given) return undefined;
  let url: URL;
  try {
    url = new URL(given.raw);
  } catch {
    throw new ConfigError(given.setting, `expected an absolute http(s) URL, got "${given.raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(given.setting, `expected an absolute http(s) URL, got "${given.raw}"`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigError(given.setting, "must not have a query or fragment");
  }
  return given.raw.replace(/\/+$/, "");
}

/** Default: one process per core on PostgreSQL; SQLite serves from exactly one writer process. */
function workersFor(database: DatabaseTarget, given: Given | undefined, cores: number): number {
  if (database.kind === "sqlite") {
    if (given && integer(given, 1, 256) !== 1) {
      throw new ConfigError(
        given.setting,
        "SQLite is served by one process; use PostgreSQL for more workers",
      );
    }
    return 1;
  }
  return given ? integer(given, 1, 256) : Math.max(1, cores);
}

/** Strict: Buffer.from(…, "base64") silently skips stray characters, which would hide a typo. */
export function isBase64Of32Bytes(value: string): boolean {
  const bytes = Buffer.from(value, "base64");
  return bytes.length === 32 && bytes.toString("base64") === value.trim();
}
