/**
 * The delivery worker of one server process (webhooks.md "Delivery"; docs/webhooks.md): keeps up
 * to `concurrency` attempts in flight, claiming due deliveries from the outbox whenever a slot is
 * free, polling when idle. Every process runs one; the claim's lease keeps them from sending the
 * same attempt twice. On stop it claims nothing more and waits a little for attempts in flight;
 * one abandoned then keeps its lease until it lapses, and is retried as a new attempt.
 */
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { SecretBox } from "../auth/secret-box.js";
import type { Clock } from "../domain/clock.js";
import type { ClaimedDelivery, DeliveryFinish, Store } from "../store/store.js";
import type { DeliveryMetrics, DeliveryOutcomeLabel } from "./delivery-metrics.js";
import { sealWebhook } from "./envelope.js";
import { afterFailedAttempt, DELIVERY_EXPIRY_MS } from "./schedule.js";
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  type Resolver,
  type SendOutcome,
  sendWebhook,
  systemResolver,
} from "./sender.js";

/** Beyond the attempt's timeout, for the finish to be written and clocks to disagree a little. */
export const LEASE_MARGIN_MS = 5000;

export interface WebhookWorkerOptions {
  /** Development switch (Config.allowInsecureWebhooks): http:// endpoints are sent to. */
  allowInsecure: boolean;
  attemptTimeoutMs?: number;
  pollIntervalMs?: number;
  /** Attempts in flight at once in this process. */
  concurrency?: number;
  /** How often deliveries to deleted endpoints and expired ones are settled. */
  settleIntervalMs?: number;
  resolver?: Resolver;
  /** [0, 1): the retry jitter (tests pin it). */
  random?: () => number;
  /** How long stop() waits for attempts in flight. */
  stopWaitMs?: number;
}

export interface WebhookWorkerDeps extends WebhookWorkerOptions {
  store: Store;
  clock: Clock;
  secretBox: SecretBox;
  logger: FastifyBaseLogger;
  metrics?: DeliveryMetrics;
}

export interface WebhookWorker {
  /** Looks for due deliveries now instead of at the next poll (e.g. after committing an event). */
  wake(): void;
  stop(): Promise<void>;
  readonly owner: string;
}

export function startWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const owner = `wkr_${randomBytes(8).toString("hex")}`;
  const timeoutMs = deps.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const concurrency = deps.concurrency ?? 8;
  const resolver = deps.resolver ?? systemResolver;
  const random = deps.random ?? Math.random;
  const settleEveryMs = deps.settleIntervalMs ?? 60_000;
  const inFlight = new Set<Promise<void>>();
  let claiming = false;
  let stopped = false;
  let lastSettledMs = Number.NEGATIVE_INFINITY;

  async function settleUndeliverable(nowMs: number) {
    if (nowMs - lastSettledMs < settleEveryMs) return;
    lastSettledMs = nowMs;
    const now = new Date(nowMs).toISOString();
    const expiredBefore = new Date(nowMs - DELIVERY_EXPIRY_MS).toISOString();
    const settled = await deps.store.settleUndeliverable(now, expiredBefore);
    if (settled > 0) deps.logger.info({ settled }, "webhook deliveries failed: endpoint deleted or expired");
  }

  async function fill() {
    if (claiming || stopped) return;
    claiming = true;
    try {
      await settleUndeliverable(deps.clock.now().getTime());
      while (!stopped && inFlight.size < concurrency) {
        const nowMs = deps.clock.now().getTime();
        const now = new Date(nowMs).toISOString();
        // A read first: on SQLite the claim is a transaction on the one writer.
        if (!(await deps.store.deliveryDue(now))) break;
        const claimed = await deps.store.claimDeliveries({
          now,
          owner,
          leaseUntil: new Date(nowMs + timeoutMs + LEASE_MARGIN_MS).toISOString(),
          limit: concurrency - inFlight.size,
        });
        if (claimed.length === 0) break;
        for (const delivery of claimed) {
          const attempt = send(delivery).finally(() => {
            inFlight.delete(attempt);
            void fill();
          });
          inFlight.add(attempt);
        }
      }
    } catch (error) {
      deps.logger.warn({ err: error }, "webhook claim failed; will retry");
    } finally {
      claiming = false;
    }
  }

  async function send(delivery: ClaimedDelivery): Promise<void> {
    let outcome: SendOutcome;
    try {
      const secret = deps.secretBox.open(
        delivery.secretSealed,
        `${delivery.event.account_id}/${delivery.keyId}`,
      );
      const envelope = sealWebhook(delivery.event, { keyId: delivery.keyId, secret }, delivery.attemptNumber);
      outcome = await sendWebhook({ url: delivery.url, live: delivery.live }, JSON.stringify(envelope), {
        timeoutMs,
        resolver,
        allowInsecure: deps.allowInsecure,
      });
    } catch (error) {
      // The key's secret would not open (a master key problem): not the receiver's fault, but
      // the attempt was claimed, so it is recorded and retried like any failure.
      deps.logger.error({ err: error }, "webhook attempt could not be prepared");
      outcome = {
        kind: "failed",
        httpStatus: null,
        latencyMs: 0,
        error: "internal: the attempt could not be prepared",
      };
    }
    const finishedAt = deps.clock.now();
    const next: DeliveryFinish["next"] =
      outcome.kind === "succeeded"
        ? { status: "SUCCEEDED" }
        : afterFailedAttempt(delivery.attemptNumber, finishedAt.getTime(), random);
    const label: DeliveryOutcomeLabel =
      outcome.kind === "succeeded"
        ? "succeeded"
        : outcome.kind === "refused"
          ? "refused"
          : next.status === "FAILED"
            ? "failed-final"
            : "failed-attempt";
    deps.metrics?.attempt(label, outcome.latencyMs / 1000);
    try {
      const finished = await deps.store.finishDelivery({
        eventId: delivery.event.id,
        configId: delivery.configId,
        owner,
        attemptNumber: delivery.attemptNumber,
        finishedAt: finishedAt.toISOString(),
        httpStatus: outcome.kind === "refused" ? null : outcome.httpStatus,
        latencyMs: outcome.latencyMs,
        error: outcome.kind === "succeeded" ? null : outcome.error,
        next,
      });
      if (!finished)
        deps.logger.warn(
          { event_id: delivery.event.id, config_id: delivery.configId },
          "webhook attempt finished after its lease lapsed; its result was not recorded",
        );
    } catch (error) {
      // The lease lapses and the delivery is retried as a new attempt.
      deps.logger.warn({ err: error }, "webhook attempt result could not be recorded");
    }
  }

  const timer = setInterval(() => void fill(), deps.pollIntervalMs ?? 250);
  timer.unref();
  void fill();

  return {
    owner,
    wake: () => void fill(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          bound = setTimeout(resolve, deps.stopWaitMs ?? 5000);
        }),
      ]);
      clearTimeout(bound);
    },
  };
}
