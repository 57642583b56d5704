/** `vetted admin deliveries list|resend`: the webhook outbox, for the operator (src/admin/deliveries.ts). */
import type { Command } from "commander";
import { DELIVERY_STATUSES } from "../admin/deliveries.js";
import type { Operator } from "../admin/operator.js";
import type { DeliveryStatus } from "../store/shared/event-stream-queries.js";
import type { TableSpec } from "./table.js";
import { UsageError } from "./usage-error.js";

function status(value: string): DeliveryStatus {
  if (!(DELIVERY_STATUSES as readonly string[]).includes(value))
    throw new UsageError(`--status must be one of ${DELIVERY_STATUSES.join(", ")}, got "${value}"`);
  return value as DeliveryStatus;
}

type Action = <O extends object>(
  command: Command,
  run: (operator: Operator, options: O) => Promise<Record<string, unknown>>,
  table?: TableSpec,
) => (options: O) => Promise<void>;

export function registerDeliveryCommands(
  admin: Command,
  leaf: (parent: Command, name: string, description: string) => Command,
  action: Action,
): void {
  const deliveries = admin.command("deliveries").description("webhook deliveries (the outbox)");
  const list = leaf(deliveries, "list", "list an account's webhook deliveries, oldest first")
    .requiredOption("--account <account_id>")
    .option("--status <status>", DELIVERY_STATUSES.join(" | "), status);
  list.action(
    action(
      list,
      async (op, o: { account: string; status?: DeliveryStatus }) => ({
        deliveries: await op.listDeliveries(o.account, o.status),
      }),
      {
        key: "deliveries",
        columns: ["delivery", "event_type", "status", "attempts", "next_attempt_at", "url"],
        plural: "deliveries",
      },
    ),
  );
  const resend = leaf(
    deliveries,
    "resend",
    "send a SUCCEEDED or FAILED delivery again: PENDING, due now, as its next attempt",
  ).requiredOption("--delivery <event_id:config_id>");
  resend.action(
    action(resend, async (op, o: { delivery: string }) => ({ ...(await op.resendDelivery(o.delivery)) })),
  );
}
