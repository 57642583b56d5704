import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { AccountId, Strict } from "./schema.js";
import {
  ACCOUNT_NOT_VISIBLE,
  assertWebhookUrl,
  CONFIG_BAD_REQUEST,
  CONFIG_NOT_FOUND,
  URL_ALREADY_EXISTS,
  WebhookConfigId,
  WebhookConfigInput,
} from "./webhook-fields.js";

export const webhookConfigUpdate = defineMethod({
  name: "webhook.config.update",
  summary: "Change an active endpoint's URL; its own URL again is a success that changes nothing.",
  auth: true,
  write: true,
  request: Strict({ account_id: AccountId, config_id: WebhookConfigId, config: WebhookConfigInput }),
  response: Type.Object({}),
  errors: [CONFIG_BAD_REQUEST, ACCOUNT_NOT_VISIBLE, CONFIG_NOT_FOUND, URL_ALREADY_EXISTS],
  async handler(context, body) {
    assertWebhookUrl(context, body.config.url);
    await context.write("updateWebhookConfig", {
      scope: callerScope(context).scope,
      accountId: body.account_id,
      configId: body.config_id,
      url: body.config.url,
      now: context.clock.now().toISOString(),
    });
    return {};
  },
});
