import { randomBytes } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { MAX_DAILY_WEBHOOK_KEYS, webhookKeyId, webhookSecretBinding } from "../domain/webhook-keys.js";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { AccountId, Strict, Timestamp } from "./schema.js";
import { ACCOUNT_NOT_VISIBLE } from "./webhook-fields.js";

export const webhookKeyCreate = defineMethod({
  name: "webhook.key.create",
  summary: "Create an INACTIVE webhook key with a new 32-byte shared secret (Base64), returned only here.",
  auth: true,
  write: true,
  request: Strict({ account_id: AccountId }),
  response: Type.Object({
    key_id: Type.String(),
    shared_secret: Type.String({ description: "32 random bytes, standard Base64; never shown again" }),
    status: Type.Literal("INACTIVE"),
    created_at: Timestamp,
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed account_id, or unknown fields" },
    ACCOUNT_NOT_VISIBLE,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Webhook Key",
      sub_code: "MAX_DAILY_KEY_LIMIT",
      when: "The account already created 99 keys this UTC day",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const secret = randomBytes(32);
    // The number is taken in the transaction and the seal is bound to the key ID, so the secret
    // is sealed for every number it may get; the procedure stores one (webhook-keys.ts).
    const sealedByNumber = Array.from({ length: MAX_DAILY_WEBHOOK_KEYS }, (_, i) =>
      context.secrets.seal(secret, webhookSecretBinding(body.account_id, webhookKeyId(now, i + 1))),
    );
    const key = await context.write("createWebhookKey", {
      scope: callerScope(context).scope,
      accountId: body.account_id,
      now,
      masterKeyId: context.secrets.keyId,
      sealedByNumber,
    });
    // Opened from what was stored, so a retry answered from the committed value gets the same secret.
    const shared = context.secrets.open(key.secret_sealed, webhookSecretBinding(key.account_id, key.key_id));
    return {
      key_id: key.key_id,
      shared_secret: shared.toString("base64"),
      status: "INACTIVE" as const,
      created_at: key.created_at,
    };
  },
});
