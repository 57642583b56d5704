/** What the API answers when it refuses: the error envelope's items, and the throwing form's error. */
import type { ERROR_CODES } from "./methods.gen.js";

/** Every code in the API's error catalog. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An item of `missing_requirements` (MISSING_REQUIREMENTS errors; data.md §14), its keys in the spec's order. */
export interface MissingRequirement {
  /** The account's requirement key that produced it; `STARTED_WORKFLOW` for the started check. */
  requirement: string;
  code: string;
  entity_type: string;
  /** null for ENTITY_REQUIRED: the entity does not exist yet. */
  entity_id: string | null;
  message: string;
  related_methods: string[];
  fields?: string[];
}

/**
 * One item of the envelope's `errors`, as sent on the wire, over a set of codes: the server
 * declares its items with this shape and its own catalog's codes, so the shape is written once.
 */
export interface WireErrorOf<Code extends string> {
  code: Code;
  message: string;
  entity_type?: string;
  sub_code?: string;
  field?: string | null;
  missing_requirements?: MissingRequirement[];
  /** ENTITY_LINKED: the methods that remove the links (data.md §3.5). */
  related_methods?: string[];
}

/** One item of the envelope's `errors`, as sent on the wire. */
export type WireError = WireErrorOf<ErrorCode>;

/** The envelope's `meta`. */
export interface ResponseMeta {
  status: "SUCCESS" | "ERROR";
  trace_id: string;
  version: string;
}

/**
 * Thrown by `client.request` when the API refuses: the first error's fields at the top (most
 * refusals carry one error), every error in `errors`, and the response's status and trace ID —
 * the trace ID is what the server's log files the failure under.
 */
export class VettedApiError extends Error {
  override readonly name = "VettedApiError";
  readonly code: ErrorCode;
  readonly sub_code: string | undefined;
  readonly entity_type: string | undefined;
  readonly field: string | null | undefined;
  constructor(
    readonly method: string,
    readonly status: number,
    readonly trace_id: string,
    readonly errors: readonly WireError[],
  ) {
    const first = errors[0] ?? { code: "INTERNAL_ERROR" as const, message: "error response without errors" };
    super(`${method}: ${first.code}${first.sub_code ? `/${first.sub_code}` : ""}: ${first.message}`);
    this.code = first.code;
    this.sub_code = first.sub_code;
    this.entity_type = first.entity_type;
    this.field = first.field;
  }
}

/** The request never got an answer (every attempt failed in the network); `cause` is the last failure. */
export class VettedNetworkError extends Error {
  override readonly name = "VettedNetworkError";
  constructor(
    readonly method: string,
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(`${method}: no response after ${attempts} attempt(s): ${String(options.cause)}`, options);
  }
}
