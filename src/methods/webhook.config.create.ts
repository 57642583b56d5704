import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { AccountId, Strict } from "./schema.js";
import {
  ACCOUNT_NOT_VISIBLE,
  assertWebhookUrl,
  CONFIG_BAD_REQUEST,
  URL_ALREADY_EXISTS,
  WebhookConfigInput,
} from "./webhook-fields.js";

export const webhookConfigCreate = defineMethod({
  name: "webhook.config.create",
  summary: "Add a webhook endpoint to the account: every event of the account is delivered to it.",
  auth: true,
  write: true,
  request: Strict({ account_id: AccountId, config: WebhookConfigInput }),
  response: Type.Object({ config_id: Type.String() }),
  errors: [
    CONFIG_BAD_REQUEST,
    ACCOUNT_NOT_VISIBLE,
    URL_ALREADY_EXISTS,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Webhook Config",
      sub_code: "MAX_WEBHOOK_URL_LIMIT",
      when: "The account already has 20 active endpoints",
    },
  ],
  async handler(context, body) {
    assertWebhookUrl(context, body.config.url);
    const now = context.clock.now().toISOString();
    const config_id = newId("webhookConfig");
    await context.write("createWebhookConfig", {
      scope: callerScope(context).scope,
      accountId: body.account_id,
      config: {
        id: config_id,
        account_id: body.account_id,
        url: body.config.url,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      },
    });
    return { config_id };
  },
});
