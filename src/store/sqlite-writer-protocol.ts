/**
 * Messages between the serving thread and the SQLite writer thread (sqlite-writer.ts). Errors
 * cross as data and are rebuilt on the serving side with what callers look at: an ApiError's
 * code and details (rule-index races), or a driver error's code (SQLITE_BUSY → 503).
 */
import { ApiError, type ApiErrorDetails, type ErrorCode } from "../errors.js";
import { createWorkflowInTransaction } from "./create-workflow-generic.js";
import type { StoreTx } from "./store.js";

/** The store methods that write: run on the writer thread, each a job in its next batch. */
export const WRITE_METHODS = [
  "insertOrganization",
  "insertAccount",
  "updateAccount",
  "insertCredential",
  "revokeCredential",
  "insertPricingModel",
  "insertEquipmentCollection",
  "insertSubjectRecord",
  "insertWorkflow",
  "updateWorkflowDetails",
  "transitionWorkflow",
  "insertEvent",
  "claimNonce",
  "claimIdempotencyKey",
  "finishIdempotencyKey",
  "takeRateToken",
  "purgeExpired",
] as const satisfies readonly (keyof StoreTx)[];

export type WriteMethod = (typeof WRITE_METHODS)[number];
export type WriterOperation = WriteMethod | "createWorkflow";

/** Runs one write operation on a transaction: the same on the serving thread and the writer. */
export function performWrite(tx: StoreTx, operation: WriterOperation, args: unknown[]): Promise<unknown> {
  if (operation === "createWorkflow")
    return createWorkflowInTransaction(tx, args[0] as Parameters<typeof createWorkflowInTransaction>[1]);
  // The cast only erases each method's own signature; arguments pass through untouched.
  return (tx[operation] as (...a: unknown[]) => Promise<unknown>)(...args);
}

export type WriterRequest =
  | { kind: "call"; id: number; operation: WriterOperation; args: unknown[] }
  /** The serving thread wants the write lock for a batch of its own transactions. */
  | { kind: "lock"; id: number }
  | { kind: "unlock" }
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
