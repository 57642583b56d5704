/**
 * Seals a webhook envelope, byte-exact (webhooks.md "Delivery"): `data` is Base64(IV ‖ ciphertext ‖
 * tag) of AES-256-GCM under the key's 32-byte shared secret, with a fresh 12-byte IV per attempt
 * and the envelope's plaintext metadata as additional authenticated data (envelope-format.ts), so
 * a receiver knows none of it was altered.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import type { EventRecord } from "../domain/records.js";
import { webhookPayload } from "../domain/webhook-payload.js";
import {
  IV_BYTES,
  WEBHOOK_SCHEMA_VERSION,
  type WebhookEnvelope,
  type WebhookMetadata,
  webhookAad,
} from "./envelope-format.js";

export interface WebhookKey {
  keyId: string;
  /** The 32-byte shared secret (decoded, not Base64). */
  secret: Uint8Array;
}

/** The exact body one attempt POSTs for `event`: encrypted afresh (new IV) every time. */
export function sealWebhook(event: EventRecord, key: WebhookKey, retryCount: number): WebhookEnvelope {
  const meta: WebhookMetadata = {
    id: event.id,
    event_type: event.event_type,
    timestamp: event.created_at,
    account_id: event.account_id,
    schema_version: WEBHOOK_SCHEMA_VERSION,
    key_id: key.keyId,
  };
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.secret, iv);
  cipher.setAAD(webhookAad(meta));
  const plaintext = Buffer.from(JSON.stringify(webhookPayload(event)), "utf8");
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const data = Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64");
  return { ...meta, data, retry_count: retryCount };
}
