/**
 * The plaintext a webhook delivery encrypts (webhooks.md "Delivery", data.md §13): built from the
 * event row alone, so the same event always decrypts to the same payload, on every retry and
 * every endpoint.
 */
import type { EventRecord } from "./records.js";

export const WEBHOOK_PAYLOAD_VERSION = "1.0";

export type WebhookPayload = Record<string, unknown> & {
  version: string;
  subject_record_id: string;
  user_context: { user_id: string; user_type: string };
};

/** `version`, `subject_record_id`, the event's own fields, then `user_context`, as the spec shows them. */
export function webhookPayload(event: EventRecord): WebhookPayload {
  const workflow =
    event.workflow_id === null ? {} : { workflow_id: event.workflow_id, workflow_type: event.workflow_type };
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    subject_record_id: event.subject_record_id,
    ...workflow,
    ...(event.payload ?? {}),
    user_context: { user_id: event.actor_id, user_type: event.actor_type },
  };
}
