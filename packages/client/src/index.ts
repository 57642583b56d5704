/** @vetted/client: the typed client for the Vetted (and Kompliant) API. */
export { type CallOptions, type ClientOptions, createClient, type VettedClient } from "./client.js";
export {
  type ErrorCode,
  type MissingRequirement,
  type ResponseMeta,
  VettedApiError,
  VettedNetworkError,
  type WireError,
  type WireErrorOf,
} from "./errors.js";
export {
  createStreamParser,
  eventStreamTarget,
  type OpenedStream,
  openEventStream,
  type StreamItem,
} from "./event-stream.js";
export * from "./ksig1.js";
export {
  ERROR_CODES,
  isUnauthenticatedMethod,
  isWriteMethod,
  LIST_ITEMS_KEYS,
  type ListItemOf,
  type ListMethodName,
  METHOD_NAMES,
  type MethodName,
  type RequestOf,
  type ResponseOf,
  UNAUTHENTICATED_METHODS,
  WRITE_METHODS,
  type WriteMethodName,
} from "./methods.js";
export {
  openWebhook,
  type WebhookEnvelope,
  WebhookError,
  type WebhookErrorReason,
  type WebhookPayload,
  type WebhookSecret,
} from "./open-webhook.js";
export type { CallResult } from "./response.js";
export { parseRetryAfter, type RetryOptions } from "./retry.js";
export { IV_BYTES, TAG_BYTES, WEBHOOK_SCHEMA_VERSION, webhookAad } from "./webhook-envelope.js";
