import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { AccountId, Strict } from "./schema.js";
import { ACCOUNT_NOT_VISIBLE, CONFIG_NOT_FOUND, WebhookConfigId } from "./webhook-fields.js";

export const webhookConfigDelete = defineMethod({
  name: "webhook.config.delete",
  summary: "Remove an endpoint (soft delete): no further deliveries are made to it.",
  auth: true,
  write: true,
  request: Strict({ account_id: AccountId, config_id: WebhookConfigId }),
  response: Type.Object({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed account_id or config_id, or unknown fields" },
    ACCOUNT_NOT_VISIBLE,
    CONFIG_NOT_FOUND,
  ],
  async handler(context, body) {
    await context.write("deleteWebhookConfig", {
      scope: callerScope(context).scope,
      accountId: body.account_id,
      configId: body.config_id,
      now: context.clock.now().toISOString(),
    });
    return {};
  },
});
