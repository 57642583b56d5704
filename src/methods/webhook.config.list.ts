import { Type } from "@sinclair/typebox";
import { assertVisibleAccount } from "./access.js";
import { defineMethod } from "./define.js";
import { AccountId, Strict, Timestamp } from "./schema.js";
import { ACCOUNT_NOT_VISIBLE } from "./webhook-fields.js";

export const webhookConfigList = defineMethod({
  name: "webhook.config.list",
  summary: "The account's active webhook endpoints, oldest first.",
  auth: true,
  write: false,
  request: Strict({ account_id: AccountId }),
  response: Type.Object({
    configs: Type.Array(
      Type.Object(
        {
          config_id: Type.String(),
          url: Type.String(),
          created_at: Timestamp,
          updated_at: Timestamp,
        },
        { title: "WebhookConfig" },
      ),
    ),
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed account_id, or unknown fields" },
    ACCOUNT_NOT_VISIBLE,
  ],
  async handler(context, body) {
    await assertVisibleAccount(context, body.account_id, "account_id");
    const configs = await context.store.listActiveWebhookConfigs(body.account_id);
    return {
      configs: configs.map((config) => ({
        config_id: config.id,
        url: config.url,
        created_at: config.created_at,
        updated_at: config.updated_at,
      })),
    };
  },
});
