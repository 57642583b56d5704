/**
 * A method is declared once: its name, request and response schemas, the errors it documents and
 * its handler. Routing, validation, TypeScript types, OpenAPI and the client all derive from it.
 */

import type { Static, TSchema } from "@sinclair/typebox";
import type { SecretBox } from "../auth/secret-box.js";
import type { DocumentSettings } from "../documents/settings.js";
import type { Clock } from "../domain/clock.js";
import type { CredentialRecord } from "../domain/records.js";
import type { WriteInput, WriteProcedureName, WriteResult } from "../domain/write-procedures.js";
import { ERROR_CATALOG, type ErrorCode, type NOT_FOUND_STATUS } from "../errors.js";
import type { StoreReads } from "../store/store.js";
import type { BadRequestIssue } from "./formats/issues.js";

export interface DocumentedError {
  code: ErrorCode;
  entity_type?: string;
  sub_code?: string;
  when: string;
  /** When the error answers with another status than its catalog's (errors.ts `ApiErrorDetails.status`). */
  status?: typeof NOT_FOUND_STATUS;
}

/** The HTTP status a documented error answers with. */
export function documentedStatus(error: DocumentedError): number {
  return error.status ?? ERROR_CATALOG[error.code];
}

export interface MethodContext {
  /** Reads, each on its own: what a read method answers from. */
  store: StoreReads;
  clock: Clock;
  traceId: string;
  /** The authenticated credential; methods declared with `auth: false` get null. */
  credential: CredentialRecord | null;
  version: string;
  /** Signs and checks list cursors, so a cursor answers only the list that issued it. */
  cursorKey: Uint8Array;
  /**
   * A write method's one unit of work: the named write procedure (domain/write-procedures.ts) with
   * its input, run in one transaction together with whatever authentication left to settle. Called
   * at most once per request; a read method never calls it. The handler's answer must follow from
   * its body and this value alone: a retry whose first response was lost runs the handler again
   * with `write` answering the value the first one committed (http/idempotency.ts).
   */
  write<N extends WriteProcedureName>(procedure: N, input: WriteInput<N>): Promise<WriteResult<N>>;
  /**
   * Step 2 of data.md §2.1, for a method that takes `show_sensitive_data`: true when the response
   * is to show sensitive values as stored; PERMISSION_DENIED on `show_sensitive_data` when the
   * flag is true and the credential may not unmask. Call it after the method's own BAD_REQUEST
   * checks and before its first lookup. The route then audits what the response revealed
   * (http/sensitive-read.ts); a handler that never called it with the flag true fails.
   */
  showSensitiveData(flag: boolean | undefined): boolean;
  /**
   * Seals and opens secrets under the master key (webhook shared secrets). A write procedure's
   * value is stored in plaintext with an Idempotency-Key, so it carries a secret only sealed, and
   * the handler opens it to answer.
   */
  secrets: Pick<SecretBox, "keyId" | "seal" | "open">;
  /** `--allow-insecure-webhooks`: endpoints may be http:// on localhost (webhooks.md). */
  allowInsecureWebhooks: boolean;
  /** Document limits, URLs and signing keys (data.md §10; documents/settings.ts). */
  documents: DocumentSettings;
}

export interface MethodDefinition<
  Req extends TSchema = TSchema,
  Res extends TSchema = TSchema,
  Name extends string = string,
> {
  name: Name;
  summary: string;
  /** false only for meta.checkVersion. */
  auth: boolean;
  /** Whether it writes: read-only credentials get PERMISSION_DENIED. */
  write: boolean;
  request: Req;
  response: Res;
  errors: DocumentedError[];
  /**
   * The body's cross-field rules that JSON Schema cannot state (formats/issues.ts): run after
   * schema validation, before the handler, so they are step 1's BAD_REQUEST (data.md §2.1). Every
   * issue is reported, each on its field.
   */
  refine?(body: Static<Req>): BadRequestIssue[];
  handler(context: MethodContext, body: Static<Req>): Promise<Static<Res>>;
}

export function defineMethod<Req extends TSchema, Res extends TSchema, const Name extends string>(
  definition: MethodDefinition<Req, Res, Name>,
): MethodDefinition<Req, Res, Name> {
  return definition;
}

/** The errors every authenticated method can return, added to each method's documentation. */
export const COMMON_ERRORS: DocumentedError[] = [
  {
    code: "BAD_REQUEST",
    when: "Malformed JSON, missing/invalid/unknown parameter, unsupported X-API-Version",
  },
  { code: "AUTHENTICATION_FAILED", when: "The KSig1 signature check failed; sub_code names the check" },
  { code: "IDEMPOTENCY_KEY_REUSED", when: "Idempotency-Key already used with a different method or body" },
  { code: "IDEMPOTENCY_KEY_IN_USE", when: "A request with the same Idempotency-Key is still running" },
  {
    code: "RATE_LIMITED",
    when: "The credential is over its request rate (when rate limiting is on); see Retry-After",
  },
  { code: "PAYLOAD_TOO_LARGE", when: "Body over the configured limit" },
  { code: "UNSUPPORTED_MEDIA_TYPE", when: "Content-Type is not application/json" },
  { code: "INTERNAL_ERROR", when: "Anything unexpected; details are in the log under the trace ID" },
  { code: "SERVICE_UNAVAILABLE", when: "The database is unreachable or the server is shutting down" },
];
