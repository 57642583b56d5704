/**
 * The webhook envelope's format (webhooks.md "Delivery"), shared by the server that seals it
 * (its webhooks/envelope.ts imports this module) and `openWebhook`, so the two cannot disagree on
 * the additional authenticated data. No Node-only import: the client runs in browsers too.
 */

/** The envelope's own version (not the payload's, which is `version` inside `data`). */
export const WEBHOOK_SCHEMA_VERSION = "2025-11-21";

export interface WebhookEnvelope {
  id: string;
  event_type: string;
  timestamp: string;
  account_id: string;
  schema_version: string;
  key_id: string;
  data: string;
  retry_count: number;
}

/** The metadata the tag covers, in the spec's order. */
export type WebhookMetadata = Pick<
  WebhookEnvelope,
  "id" | "event_type" | "timestamp" | "account_id" | "schema_version" | "key_id"
>;

export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/** UTF-8 of id, event_type, timestamp, account_id, schema_version, key_id joined by "\n". */
export function webhookAad(meta: WebhookMetadata): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(
    [meta.id, meta.event_type, meta.timestamp, meta.account_id, meta.schema_version, meta.key_id].join("\n"),
  );
}

/** The plaintext a delivery encrypts: the event's fields, with these always present. */
export type WebhookPayload = Record<string, unknown> & {
  version: string;
  subject_record_id: string;
  user_context: { user_id: string; user_type: string };
};
