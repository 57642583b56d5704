/**
 * What a webhook receiver calls on each delivery: checks the envelope's shape, finds the shared
 * secret its `key_id` names, decrypts `data` and verifies the GCM tag over the envelope's metadata,
 * and returns the payload — or throws a `WebhookError` saying which of those failed.
 *
 *   const payload = await openWebhook(JSON.parse(body), { whk_20261128_01: process.env.WEBHOOK_SECRET });
 *
 * Web Crypto only, so it runs unchanged on Node 20+ and in browsers.
 */
import {
  IV_BYTES,
  TAG_BYTES,
  type WebhookEnvelope,
  type WebhookPayload,
  webhookAad,
} from "./webhook-envelope.js";

export type { WebhookEnvelope, WebhookPayload };

export type WebhookErrorReason =
  /** Not an envelope: a field missing or of the wrong type, or `data` not Base64 of IV ‖ ciphertext ‖ tag. */
  | "BAD_SHAPE"
  /** No secret given for the envelope's `key_id`, or the secret is not 32 bytes. */
  | "UNKNOWN_KEY"
  /** The tag does not verify: wrong secret, or the data or any metadata field was altered. */
  | "BAD_TAG";

export class WebhookError extends Error {
  override readonly name = "WebhookError";
  constructor(
    readonly reason: WebhookErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** A secret as `webhook.key.create` returned it (standard Base64), or its 32 bytes. */
export type WebhookSecret = string | Uint8Array;

const STRING_FIELDS = [
  "id",
  "event_type",
  "timestamp",
  "account_id",
  "schema_version",
  "key_id",
  "data",
] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export async function openWebhook(
  envelope: unknown,
  secretsByKeyId: Readonly<Record<string, WebhookSecret>> | ReadonlyMap<string, WebhookSecret>,
): Promise<WebhookPayload> {
  const checked = checkShape(envelope);
  const secret =
    secretsByKeyId instanceof Map
      ? secretsByKeyId.get(checked.key_id)
      : Object.hasOwn(secretsByKeyId, checked.key_id)
        ? (secretsByKeyId as Record<string, WebhookSecret>)[checked.key_id]
        : undefined;
  if (secret === undefined) throw new WebhookError("UNKNOWN_KEY", `no secret for key_id ${checked.key_id}`);
  const keyBytes = typeof secret === "string" ? fromBase64(secret) : new Uint8Array(secret);
  if (keyBytes?.length !== 32) {
    throw new WebhookError(
      "UNKNOWN_KEY",
      `the secret for ${checked.key_id} is not 32 bytes of standard Base64`,
    );
  }
  const raw = fromBase64(checked.data);
  if (raw === undefined || raw.length < IV_BYTES + TAG_BYTES) {
    throw new WebhookError("BAD_SHAPE", "data is not Base64 of IV, ciphertext and tag");
  }
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey("raw", keyBytes, "AES-GCM", false, ["decrypt"]);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await subtle.decrypt(
      { name: "AES-GCM", iv: raw.subarray(0, IV_BYTES), additionalData: webhookAad(checked), tagLength: 128 },
      key,
      raw.subarray(IV_BYTES),
    );
  } catch {
    throw new WebhookError("BAD_TAG", "the tag does not verify: wrong secret, or the envelope was altered");
  }
  return JSON.parse(new TextDecoder().decode(plaintext)) as WebhookPayload;
}

function checkShape(envelope: unknown): WebhookEnvelope {
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope)) {
    throw new WebhookError("BAD_SHAPE", "the envelope is not a JSON object");
  }
  const fields = envelope as Record<string, unknown>;
  for (const name of STRING_FIELDS) {
    if (typeof fields[name] !== "string") throw new WebhookError("BAD_SHAPE", `${name} is not a string`);
  }
  if (!Number.isInteger(fields.retry_count) || (fields.retry_count as number) < 0) {
    throw new WebhookError("BAD_SHAPE", "retry_count is not a non-negative integer");
  }
  return fields as unknown as WebhookEnvelope;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
