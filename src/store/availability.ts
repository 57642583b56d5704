/**
 * Whether an error means "the database cannot serve this right now" (answer 503 with Retry-After
 * and let the client retry) rather than a bug (answer 500). Covers a database that is down,
 * restarting or unreachable, a connection lost mid-request, a timed-out query, and a SQLite
 * database whose write lock stayed busy past the busy timeout.
 */
import { WRITER_DOWN } from "./sqlite-writer.js";

const UNAVAILABLE_CODES = new Set([
  // Network, from Node's socket layer.
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  // PostgreSQL SQLSTATEs.
  "57P01", // admin_shutdown: the server is stopping (pg_ctl stop)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or recovering
  "57014", // query_canceled: statement_timeout expired (this server never cancels otherwise)
  "53300", // too_many_connections
  "08000", // connection_exception and its subclasses
  "08001",
  "08003",
  "08004",
  "08006",
  WRITER_DOWN, // the SQLite writer thread is restarting
]);

/** Messages of errors that carry no code: pg's own connection and timeout errors, Kysely's discard. */
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|is not queryable|Postgres connection has been discarded/i;

/** SQLite result codes, extended ones included (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE…). */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED)(_|$)/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || SQLITE_UNAVAILABLE.test(code))) return true;
  if (UNAVAILABLE_MESSAGE.test(error.message)) return true;
  // Connecting to a name with several addresses fails with an AggregateError of the attempts.
  const nested = [(error as { cause?: unknown }).cause, ...((error as { errors?: unknown[] }).errors ?? [])];
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
