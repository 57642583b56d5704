/**
 * Completes each method's operation from its declaration: the request headers it takes, its
 * security, its request and success schemas as named components, and one response per HTTP
 * status its documented errors answer with, whose `code` and `sub_code` are enumerations of
 * exactly those errors.
 */
import type { AuthSubCode } from "../errors.js";
import { type DocumentedError, documentedStatus, type MethodDefinition } from "../methods/define.js";
import { errorsOf } from "./openapi.js";
import { type ComponentSchemas, componentRef, type JsonObject } from "./openapi-components.js";
import { KSIG1_SECURITY, SIGNING_HEADER_PARAMETERS } from "./openapi-metadata.js";
import { hasRequiredFields } from "./request-body.js";

/**
 * The sub-codes of AUTHENTICATION_FAILED (ksig1.md's checks). A record, so that a sub-code added
 * to AuthSubCode and not here fails to compile.
 */
const AUTH_SUB_CODES: Record<AuthSubCode, true> = {
  MISSING_CREDENTIALS: true,
  MALFORMED_AUTHORIZATION: true,
  INVALID_CREDENTIALS: true,
  INSUFFICIENT_SIGNED_ELEMENTS: true,
  SIGNATURE_MISMATCH: true,
  CONTENT_HASH_MISMATCH: true,
  TIMESTAMP_OUT_OF_RANGE: true,
  NONCE_REUSED: true,
};

/**
 * Codes a write answers before its Idempotency-Key is claimed (method-route.ts: the body parser's
 * limits, authentication, the read-only gate — a write's only PERMISSION_DENIED —, the rate
 * limit, the claim itself) or never stores (5xx): no answer with one of them is ever replayed.
 */
const NEVER_REPLAYED = new Set([
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "AUTHENTICATION_FAILED",
  "PERMISSION_DENIED",
  "RATE_LIMITED",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_USE",
  "INTERNAL_ERROR",
  "SERVICE_UNAVAILABLE",
]);

/** The codes whose answers carry Retry-After (error-handling.ts: `retryAfter`). */
const RETRY_AFTER_CODES = new Set(["RATE_LIMITED", "SERVICE_UNAVAILABLE", "IDEMPOTENCY_KEY_IN_USE"]);

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Authentication failed",
  403: "Permission denied",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable",
};

/** `workflow.create` → `WorkflowCreate`, `business.salesInfo.get` → `BusinessSalesInfoGet`. */
export function componentBaseName(methodName: string): string {
  return methodName
    .split(".")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function headerRef(name: string): JsonObject {
  return { $ref: `#/components/headers/${name}` };
}

function parameterRef(name: string): JsonObject {
  return { $ref: `#/components/parameters/${name}` };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The sub-codes one documented error can carry. */
function subCodesOf(error: DocumentedError): string[] {
  if (error.code === "AUTHENTICATION_FAILED") return Object.keys(AUTH_SUB_CODES);
  return error.sub_code === undefined ? [] : [error.sub_code];
}

/** The errors by HTTP status, statuses ascending, each status's errors in declaration order. */
export function errorsByStatus(method: MethodDefinition): Map<number, DocumentedError[]> {
  const byStatus = new Map<number, DocumentedError[]>();
  for (const error of errorsOf(method)) {
    const status = documentedStatus(error);
    byStatus.set(status, [...(byStatus.get(status) ?? []), error]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/**
 * The error envelope with each item's `code` (and `sub_code`, when any) narrowed to the enums of
 * `errors`. Written out rather than as `allOf` with ErrorEnvelope: generated TypeScript would
 * intersect two array types there, whose elements and methods disagree; intersecting the items
 * (Error & the enums) gives one element type.
 */
function errorEnvelopeOf(errors: DocumentedError[]): JsonObject {
  const subCodes = unique(errors.flatMap(subCodesOf));
  const narrowed: JsonObject = {
    code: { type: "string", enum: unique(errors.map((error) => error.code)) },
  };
  if (subCodes.length > 0) narrowed.sub_code = { type: "string", enum: subCodes };
  return {
    type: "object",
    required: ["meta", "errors"],
    properties: {
      meta: componentRef("ErrorMeta"),
      errors: {
        type: "array",
        minItems: 1,
        items: {
          allOf: [componentRef("Error"), { type: "object", required: ["code"], properties: narrowed }],
        },
      },
    },
  };
}

function errorDescription(status: number, errors: DocumentedError[]): string {
  const lines = errors.map((error) => {
    const detail = error.sub_code ? ` (${error.entity_type} / ${error.sub_code})` : "";
    return `- \`${error.code}\`${detail}: ${error.when}`;
  });
  return [`${STATUS_TEXT[status] ?? `HTTP ${status}`}:`, "", ...lines].join("\n");
}

function errorResponse(method: MethodDefinition, status: number, errors: DocumentedError[]): JsonObject {
  const headers: JsonObject = { "X-Trace-Id": headerRef("X-Trace-Id") };
  if (errors.some((error) => RETRY_AFTER_CODES.has(error.code)))
    headers["Retry-After"] = headerRef("Retry-After");
  // A stored answer is replayed whatever its status, if it got as far as the claim.
  if (method.write && errors.some((error) => !NEVER_REPLAYED.has(error.code)))
    headers["Idempotent-Replayed"] = headerRef("Idempotent-Replayed");
  return {
    description: errorDescription(status, errors),
    headers,
    content: { "application/json": { schema: errorEnvelopeOf(errors) } },
  };
}

interface Operation extends JsonObject {
  requestBody?: { required?: boolean; content?: { "application/json"?: { schema?: JsonObject } } };
  responses?: { 200?: { content?: { "application/json"?: { schema?: JsonObject } } } };
}

/** Rewrites the operation swagger made from the route into the method's complete operation. */
export function completeOperation(
  operation: Operation,
  method: MethodDefinition,
  components: ComponentSchemas,
): void {
  const base = componentBaseName(method.name);
  const parameters = [parameterRef("XApiVersion")];
  if (method.write) parameters.push(parameterRef("IdempotencyKey"));
  if (method.auth) parameters.push(...SIGNING_HEADER_PARAMETERS.map(parameterRef));
  operation.parameters = parameters;
  operation.security = method.auth ? [KSIG1_SECURITY] : [];

  const requestSchema = operation.requestBody?.content?.["application/json"]?.schema;
  const successSchema = operation.responses?.[200]?.content?.["application/json"]?.schema;
  if (!requestSchema || !successSchema) throw new Error(`${method.name}: the route declares no schemas`);
  // An empty body counts as {} for a method with no required parameter (request-body.ts).
  operation.requestBody = {
    required: hasRequiredFields(method),
    content: { "application/json": { schema: components.add(`${base}Request`, requestSchema) } },
  };

  const successHeaders: JsonObject = { "X-Trace-Id": headerRef("X-Trace-Id") };
  if (method.write) successHeaders["Idempotent-Replayed"] = headerRef("Idempotent-Replayed");
  const responses: JsonObject = {
    200: {
      description: "Success: `meta.status` is SUCCESS and `data` holds the answer.",
      headers: successHeaders,
      content: { "application/json": { schema: components.add(`${base}Response`, successSchema) } },
    },
  };
  for (const [status, errors] of errorsByStatus(method)) {
    responses[status] = errorResponse(method, status, errors);
  }
  operation.responses = responses;
}
