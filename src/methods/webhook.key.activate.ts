import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { Strict, Timestamp } from "./schema.js";
import { KEY_BAD_REQUEST, KEY_NOT_FOUND, KeyAccountId, WebhookKeyId } from "./webhook-fields.js";

export const webhookKeyActivate = defineMethod({
  name: "webhook.key.activate",
  summary:
    "Make the key its account's single ACTIVE key; the previous ACTIVE key becomes DELETED. Activating the ACTIVE key changes nothing.",
  auth: true,
  write: true,
  request: Strict({
    key_id: WebhookKeyId,
    account_id: Type.Optional(KeyAccountId),
  }),
  response: Type.Object({
    key_id: Type.String(),
    status: Type.Literal("ACTIVE"),
    activated_at: Timestamp,
  }),
  errors: [
    KEY_BAD_REQUEST,
    KEY_NOT_FOUND,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Webhook Key",
      sub_code: "KEY_DELETED",
      when: "The key is DELETED (a later key was activated)",
    },
  ],
  async handler(context, body) {
    const key = await context.write("activateWebhookKey", {
      scope: callerScope(context).scope,
      keyId: body.key_id,
      ...(body.account_id === undefined ? {} : { accountId: body.account_id }),
      now: context.clock.now().toISOString(),
    });
    return { key_id: key.key_id, status: "ACTIVE" as const, activated_at: key.activated_at };
  },
});
