/**
 * The operator's view of the webhook outbox (`vetted admin deliveries list|resend`): what was
 * delivered where, and a second chance for a finished delivery. Resend makes the delivery PENDING
 * and due now, so the workers send it as its next attempt (same event ID; retry_count goes on
 * from the attempts already made).
 */
import type { Clock } from "../domain/clock.js";
import type { DeliveryStatus, DeliveryView } from "../store/shared/event-stream-queries.js";
import type { Store } from "../store/store.js";
import { DELIVERY_EXPIRY_MS } from "../webhooks/schedule.js";
import { OperatorError } from "./operator.js";

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ["PENDING", "SUCCEEDED", "FAILED"];

/** A delivery as printed: its ID is `<event_id>:<config_id>`. */
export interface DeliveryLine {
  delivery: string;
  event_type: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
}

function present(view: DeliveryView): DeliveryLine {
  return {
    delivery: `${view.event_id}:${view.config_id}`,
    event_type: view.event_type,
    url: view.url,
    status: view.status,
    attempts: view.attempt_count,
    // A finished delivery has no next attempt, whatever its row still holds.
    next_attempt_at: view.status === "PENDING" ? view.next_attempt_at : null,
    last_error: view.last_error,
  };
}

/** `<event_id>:<config_id>`, or a usage error. */
export function parseDeliveryId(value: string): { eventId: string; configId: string } {
  const match = /^(wh_[0-9A-Za-z]+):(whc_[0-9A-Za-z]+)$/.exec(value);
  if (!match?.[1] || !match[2]) {
    throw new OperatorError(
      `--delivery must be <event_id>:<config_id> (wh_…:whc_…), got "${value}"`,
      "invalid_value",
    );
  }
  return { eventId: match[1], configId: match[2] };
}

export function createDeliveryOperations(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  return {
    async listDeliveries(accountId: string, status?: DeliveryStatus): Promise<DeliveryLine[]> {
      if (!(await store.getAccount(accountId)))
        throw new OperatorError(`account ${accountId} does not exist`, "not_found");
      return (await store.listDeliveries({ accountId, status })).map(present);
    },

    async resendDelivery(deliveryId: string): Promise<DeliveryLine> {
      const { eventId, configId } = parseDeliveryId(deliveryId);
      const before = await store.getDelivery(eventId, configId);
      if (!before) throw new OperatorError(`delivery ${deliveryId} does not exist`, "not_found");
      // The workers would settle either at once as FAILED without an attempt (webhooks/worker.ts).
      if (before.config_deleted_at !== null) {
        throw new OperatorError(
          `delivery ${deliveryId} cannot be resent: its endpoint was deleted`,
          "rejected",
        );
      }
      const now = clock.now();
      if (Date.parse(before.created_at) < now.getTime() - DELIVERY_EXPIRY_MS) {
        throw new OperatorError(
          `delivery ${deliveryId} cannot be resent: deliveries expire 7 days after their event`,
          "rejected",
        );
      }
      if (!(await store.resendDelivery(eventId, configId, now.toISOString()))) {
        throw new OperatorError(
          `delivery ${deliveryId} is PENDING already: its next attempt is due at ${before.next_attempt_at}`,
          "conflict",
        );
      }
      const after = await store.getDelivery(eventId, configId);
      if (!after) throw new OperatorError(`delivery ${deliveryId} does not exist`, "not_found");
      return present(after);
    },
  };
}
