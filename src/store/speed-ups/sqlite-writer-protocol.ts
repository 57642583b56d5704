/**
 * Messages between the serving thread and the SQLite writer thread (sqlite-writer.ts). Errors
 * cross as data and are rebuilt on the serving side with what callers look at: an ApiError's
 * code and details (rule-index races), or a driver error's code (SQLITE_BUSY → 503).
 */
import { ApiError, type ApiErrorDetails, type ErrorCode } from "../../errors.js";
import type { SqliteTx, SqliteWriteName } from "../sqlite/connection.js";

/**
 * Runs one named query on a transaction of the writer's connection. Only the object's own
 * methods answer: a name from a message never reaches the prototype.
 */
export function perform(tx: SqliteTx, name: string, args: unknown[]): Promise<unknown> {
  const method: unknown = Object.hasOwn(tx, name)
    ? (tx as unknown as Record<string, unknown>)[name]
    : undefined;
  if (typeof method !== "function") return Promise.reject(new Error(`not a store query: ${name}`));
  // The cast only erases each method's own signature; arguments pass through untouched.
  return (method as (...a: unknown[]) => Promise<unknown>)(...args);
}

/**
 * Posts `messages` as one message (one wake-up of the other thread). When one of them cannot be
 * cloned the whole post fails, so each is then posted alone and `unsent` gets the ones that cannot
 * go: a value that cannot cross fails its own request only.
 */
export function postTogether<M>(
  port: { postMessage(value: unknown): void },
  messages: M[],
  unsent: (message: M, error: unknown) => void,
): void {
  try {
    port.postMessage(messages);
  } catch {
    for (const one of messages) {
      try {
        port.postMessage([one]);
      } catch (error) {
        unsent(one, error);
      }
    }
  }
}

/** What the writer thread is started with. */
export interface WriterThreadData {
  path: string;
  busyTimeoutMs: number;
  /** See sqlite-wal-limit.ts. */
  walRestartBytes: number;
}

export type WriterRequest =
  /** One stand-alone write: a job of the writer's next batch. */
  | { kind: "call"; id: number; operation: SqliteWriteName; args: unknown[] }
  /**
   * Opens a transaction for a closure on the serving thread: a job of the writer's next batch,
   * answered when it starts and held open until `end`; `id` names it in `txCall` and `end`.
   */
  | { kind: "begin"; id: number }
  /** One query of an open transaction, reads included (they must see its writes). */
  | { kind: "txCall"; id: number; transaction: number; operation: string; args: unknown[] }
  /** Ends an open transaction: released (commit) or rolled back; answered once durable. */
  | { kind: "end"; id: number; transaction: number; commit: boolean }
  /** Applies pending migrations between two batches. */
  | { kind: "migrate"; id: number }
  | { kind: "stop" };

export type SerializedError =
  | { kind: "api"; code: ErrorCode; details: ApiErrorDetails }
  | { kind: "error"; name: string; message: string; code?: string };

export type WriterReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ApiError) return { kind: "api", code: error.code, details: error.details };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      kind: "error",
      name: error.name,
      message: error.message,
      code: typeof code === "string" ? code : undefined,
    };
  }
  return { kind: "error", name: "Error", message: String(error) };
}

export function deserializeError(error: SerializedError): Error {
  if (error.kind === "api") return new ApiError(error.code, error.details);
  const rebuilt = new Error(error.message) as Error & { code?: string };
  rebuilt.name = error.name;
  if (error.code !== undefined) rebuilt.code = error.code;
  return rebuilt;
}
