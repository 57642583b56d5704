import { Type } from "@sinclair/typebox";
import { scopeOf } from "../domain/visibility.js";
import { visibleWebhookKey } from "../domain/webhook-keys.js";
import { defineMethod } from "./define.js";
import { Nullable, Strict, Timestamp } from "./schema.js";
import {
  KEY_BAD_REQUEST,
  KEY_NOT_FOUND,
  KeyAccountId,
  WebhookKeyId,
  WebhookKeyStatus,
} from "./webhook-fields.js";

export const webhookKeyGet = defineMethod({
  name: "webhook.key.get",
  summary: "A webhook key's status and times; never its secret.",
  auth: true,
  write: false,
  request: Strict({
    key_id: WebhookKeyId,
    account_id: Type.Optional(KeyAccountId),
  }),
  response: Type.Object(
    {
      key_id: Type.String(),
      status: WebhookKeyStatus,
      created_at: Timestamp,
      activated_at: Nullable(Timestamp),
      deleted_at: Nullable(Timestamp),
    },
    { title: "WebhookKey" },
  ),
  errors: [KEY_BAD_REQUEST, KEY_NOT_FOUND],
  async handler(context, body) {
    if (!context.credential) throw new Error("webhook.key.get ran without a credential");
    const key = await visibleWebhookKey(
      context.store,
      scopeOf(context.credential),
      body.key_id,
      body.account_id,
    );
    return {
      key_id: key.key_id,
      status: key.status,
      created_at: key.created_at,
      activated_at: key.activated_at,
      deleted_at: key.deleted_at,
    };
  },
});
