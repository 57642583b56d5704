import type { MissingRequirement, WireErrorOf } from "@vetted/client";

/**
 * The error catalog: every code the API can answer with, and its HTTP status. Handlers throw
 * `ApiError` with a code; the status always comes from here, never from the call site.
 */
export const ERROR_CATALOG = {
  BAD_REQUEST: 400,
  ENTITY_NOT_FOUND: 400,
  ENTITY_LINKED: 400,
  SYSTEM_RULE_VIOLATION: 400,
  ACCOUNT_CONFIGURATION_VIOLATION: 400,
  MISSING_REQUIREMENTS: 400,
  SYSTEM_EXCEPTION: 400,
  IDEMPOTENCY_KEY_REUSED: 400,
  AUTHENTICATION_FAILED: 401,
  PERMISSION_DENIED: 403,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export type AuthSubCode =
  | "MISSING_CREDENTIALS"
  | "MALFORMED_AUTHORIZATION"
  | "INVALID_CREDENTIALS"
  | "INSUFFICIENT_SIGNED_ELEMENTS"
  | "SIGNATURE_MISMATCH"
  | "CONTENT_HASH_MISMATCH"
  | "TIMESTAMP_OUT_OF_RANGE"
  | "NONCE_REUSED";

/**
 * One item of the `errors` array, exactly as sent on the wire: the SDK's shape (declared once, in
 * packages/client, which cannot import the server) over this catalog's codes.
 */
export type WireError = WireErrorOf<ErrorCode>;
export type { MissingRequirement };

export interface ApiErrorDetails {
  message: string;
  entity_type?: string;
  sub_code?: string;
  field?: string | null;
  missing_requirements?: MissingRequirement[];
  related_methods?: string[];
  /** Extra errors reported together with this one (several invalid fields). */
  more?: WireError[];
  /** Seconds, for 429 and 503. */
  retryAfter?: number;
  /**
   * The one status an error may answer with instead of its catalog's: 404 for ENTITY_NOT_FOUND
   * where Kompliant sends it (webhook.config.update/delete, webhooks.md). Declared with the same
   * `status` in the method's documented errors, so the errors table shows it.
   */
  status?: typeof NOT_FOUND_STATUS;
}

/** The HTTP status of ENTITY_NOT_FOUND in the methods where Kompliant answers 404 (webhooks.md). */
export const NOT_FOUND_STATUS = 404;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ApiErrorDetails;

  constructor(code: ErrorCode, details: ApiErrorDetails) {
    super(details.message);
    this.name = "ApiError";
    this.code = code;
    this.status = details.status ?? ERROR_CATALOG[code];
    this.details = details;
  }

  /** The `errors` array for the envelope. */
  toWire(): WireError[] {
    const { message, entity_type, sub_code, field, missing_requirements, related_methods, more } =
      this.details;
    const first: WireError = { code: this.code, message };
    if (entity_type !== undefined) first.entity_type = entity_type;
    if (related_methods !== undefined) first.related_methods = related_methods;
    if (sub_code !== undefined) first.sub_code = sub_code;
    if (field !== undefined) first.field = field;
    if (missing_requirements !== undefined) first.missing_requirements = missing_requirements;
    return [first, ...(more ?? [])];
  }
}

export function badRequest(message: string, field: string | null): ApiError {
  return new ApiError("BAD_REQUEST", { message, field });
}

export function notFound(entity: string, field: string): ApiError {
  return new ApiError("ENTITY_NOT_FOUND", { message: `${entity} not found`, field });
}

/** ENTITY_NOT_FOUND with HTTP 404: only the methods that document it so (webhooks.md). */
export function notFound404(entity: string, field: string): ApiError {
  return new ApiError("ENTITY_NOT_FOUND", {
    message: `${entity} not found`,
    field,
    status: NOT_FOUND_STATUS,
  });
}

export function ruleViolation(entityType: string, subCode: string, message: string): ApiError {
  return new ApiError("SYSTEM_RULE_VIOLATION", { message, entity_type: entityType, sub_code: subCode });
}

export function configViolation(entityType: string, subCode: string, message: string): ApiError {
  return new ApiError("ACCOUNT_CONFIGURATION_VIOLATION", {
    message,
    entity_type: entityType,
    sub_code: subCode,
  });
}

/** A delete refused while links remain: the entity being deleted and the methods that remove them. */
export function entityLinked(entityType: string, message: string, relatedMethods: string[]): ApiError {
  return new ApiError("ENTITY_LINKED", { message, entity_type: entityType, related_methods: relatedMethods });
}

export function authFailed(subCode: AuthSubCode, message: string): ApiError {
  return new ApiError("AUTHENTICATION_FAILED", { message, sub_code: subCode });
}

/** Step 3 of KSig1: the key is unknown or revoked, or the token does not match. */
export function invalidCredentials(): ApiError {
  return authFailed("INVALID_CREDENTIALS", "The API key or auth token is not valid");
}

/** Step 8 of KSig1: the nonce was seen within the replay window. */
export function nonceReused(): ApiError {
  return authFailed("NONCE_REUSED", "This nonce was already used");
}

/** Step 2 of data.md §2.1: `show_sensitive_data: true` from a credential that may not unmask (§2.6). */
export function unmaskDenied(): ApiError {
  return new ApiError("PERMISSION_DENIED", {
    message: "This credential may not unmask sensitive data; send show_sensitive_data false or leave it out",
    field: "show_sensitive_data",
  });
}
