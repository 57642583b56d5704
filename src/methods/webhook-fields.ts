/** The schemas, checks and error documentation the webhook.* methods share (webhooks.md). */
import { Type } from "@sinclair/typebox";
import { WEBHOOK_URL_MAX_LENGTH, webhookUrlProblem } from "../domain/webhook-urls.js";
import { badRequest, NOT_FOUND_STATUS } from "../errors.js";
import type { DocumentedError, MethodContext } from "./define.js";
import { Id, Strict, StringEnum } from "./schema.js";

export const WebhookKeyId = Type.String({
  pattern: "^whk_\\d{8}_\\d{2}$",
  description: "Webhook key ID: whk_YYYYMMDD_NN (UTC day of creation, NN = 01…99 per account and day)",
});

export const WebhookConfigId = Id("Webhook endpoint ID", "whc_");

export const WebhookKeyStatus = StringEnum(["INACTIVE", "ACTIVE", "DELETED"] as const);

export const WebhookConfigInput = Strict(
  {
    url: Type.String({
      minLength: 1,
      maxLength: WEBHOOK_URL_MAX_LENGTH,
      // The scheme in the schema: the rest (host, credentials, http:// on this server) is judged by
      // the handler, as it depends on --allow-insecure-webhooks.
      pattern: "^https?://",
      description: "Absolute https:// URL, no credentials, unique among the account's active endpoints",
    }),
  },
  { title: "WebhookConfigInput" },
);

/** BAD_REQUEST on config.url unless the URL follows webhooks.md's rules on this server. */
export function assertWebhookUrl(context: MethodContext, url: string): void {
  const problem = webhookUrlProblem(url, context.allowInsecureWebhooks);
  if (problem !== undefined) throw badRequest(`config.url ${problem}`, "config.url");
}

/** The extension of activate/get: which account's key, when several visible accounts hold the ID. */
export const KeyAccountId = Id(
  "Optional (extension): the account whose key this is; needed only when several accounts the credential sees hold this key ID",
  "sb_",
  "lv_",
);

export const KEY_NOT_FOUND: DocumentedError = {
  code: "ENTITY_NOT_FOUND",
  when: "No account the credential sees (or the account_id given) holds this key; field: key_id or account_id",
};

export const KEY_BAD_REQUEST: DocumentedError = {
  code: "BAD_REQUEST",
  when: "Missing or malformed key_id; or several visible accounts hold the key ID and no account_id was given (field: account_id)",
};

export const CONFIG_BAD_REQUEST: DocumentedError = {
  code: "BAD_REQUEST",
  when: "Missing, malformed or unknown fields; config.url not an absolute https:// URL of at most 2,048 characters with a host and no credentials (http:// on localhost only with --allow-insecure-webhooks)",
};

export const ACCOUNT_NOT_VISIBLE: DocumentedError = {
  code: "ENTITY_NOT_FOUND",
  when: "The account does not exist or is not visible",
};

/** update and delete answer a missing endpoint with 404, as Kompliant does (webhooks.md). */
export const CONFIG_NOT_FOUND: DocumentedError = {
  code: "ENTITY_NOT_FOUND",
  status: NOT_FOUND_STATUS,
  when: "The endpoint does not exist, is another account's, or was deleted; field: config_id",
};

export const URL_ALREADY_EXISTS: DocumentedError = {
  code: "SYSTEM_RULE_VIOLATION",
  entity_type: "Webhook Config",
  sub_code: "URL_ALREADY_EXISTS",
  when: "Another active endpoint of the account has exactly this URL",
};
