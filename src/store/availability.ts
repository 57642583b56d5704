/**
 * Whether an error means "the database cannot serve this right now" (answer 503 with Retry-After
 * and let the client retry) rather than a bug (answer 500). The rule: the request was fine and the
 * database, or the way to it, is not — down, restarting, unreachable, refusing sessions, out of
 * resources, failing I/O, or busy past the timeouts. Errors are classified by kind, never by a
 * list of single codes that can miss one (docs/reliability.md, "Which errors are an outage").
 */
import { WRITER_DOWN } from "./speed-ups/sqlite-writer.js";

/** Network failures, from Node's socket and DNS layers, and the SQLite writer thread restarting. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  WRITER_DOWN,
]);

/**
 * PostgreSQL SQLSTATE classes (the first two characters) that mean the server cannot serve now:
 * 08 connection exception, 53 insufficient resources (disk full, out of memory, too many
 * connections), 57 operator intervention (shutdown, crash, starting up, database dropped, a
 * statement cancelled by statement_timeout or an operator, idle session ended), 58 system error
 * (I/O). Class 40 (deadlock, serialization failure) is left out: this server's transactions are
 * not serializable and take their locks in one order, so one of those would be a bug.
 */
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(["08", "53", "57", "58"]);

/**
 * Severities with which PostgreSQL ends the session: whatever the code, the server refused or
 * dropped the connection, not the statement. This is how a refusal while connecting shows —
 * `55000` "database … is not currently accepting connections" (ALLOW_CONNECTIONS false), `3D000`
 * database missing, `28xxx` role refused — codes whose classes also hold ordinary statement
 * errors (55P03 lock_not_available is an ERROR).
 */
const SESSION_ENDING_SEVERITIES = new Set(["FATAL", "PANIC"]);

/** A PostgreSQL error as pg reports it: a five-character SQLSTATE and a severity. */
function isPostgresUnavailable(error: { code?: unknown; severity?: unknown }): boolean {
  const { code, severity } = error;
  if (typeof code !== "string" || typeof severity !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2)) || SESSION_ENDING_SEVERITIES.has(severity);
}

/** Messages of errors that carry no code: pg's own connection and timeout errors, Kysely's discard. */
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|is not queryable|Postgres connection has been discarded/i;

/**
 * SQLite result codes (extended ones included: SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_FSYNC…) that
 * are the same kinds as the PostgreSQL classes above: the lock stayed busy past the busy timeout
 * (BUSY, LOCKED), I/O failed or the disk is full (IOERR, FULL), the file cannot be opened or
 * written (CANTOPEN, READONLY: moved, deleted or its permissions changed), out of memory (NOMEM),
 * a WAL lock race (PROTOCOL). SQLITE_CORRUPT and SQLITE_NOTADB stay 500: retrying cannot help a
 * damaged file, and an operator must see it as an error.
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOMEM|PROTOCOL)(_|$)/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || SQLITE_UNAVAILABLE.test(code))) return true;
  if (isPostgresUnavailable(error as { code?: unknown; severity?: unknown })) return true;
  if (UNAVAILABLE_MESSAGE.test(error.message)) return true;
  // Connecting to a name with several addresses fails with an AggregateError of the attempts.
  const nested = [(error as { cause?: unknown }).cause, ...((error as { errors?: unknown[] }).errors ?? [])];
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
