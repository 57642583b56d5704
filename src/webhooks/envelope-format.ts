/**
 * The webhook envelope's format lives in the SDK (`@vetted/client/webhook-envelope`): the server
 * seals with the very definitions `openWebhook` opens with.
 */
export {
  IV_BYTES,
  TAG_BYTES,
  WEBHOOK_SCHEMA_VERSION,
  type WebhookEnvelope,
  type WebhookMetadata,
  webhookAad,
} from "@vetted/client/webhook-envelope";
