/**
 * `GET /events.stream?account_id=…` (webhooks.md "Live event stream"): the account's events as
 * Server-Sent Events, each `data` the exact envelope an endpoint would receive (retry_count 0).
 * Everything that can refuse the request is checked before the stream starts, so a refusal is the
 * error envelope; once it has started, the stream only reads (it never touches delivery state).
 * How the position follows commit order: docs/webhooks.md "Event stream".
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Authenticator, claimNonce } from "../auth/authenticate.js";
import type { SecretBox } from "../auth/secret-box.js";
import type { Clock } from "../domain/clock.js";
import { idPattern } from "../domain/ids.js";
import { visibleAccount } from "../domain/lookups.js";
import type { EventRecord } from "../domain/records.js";
import { type ApiError, badRequest, ruleViolation } from "../errors.js";
import type { StreamPosition } from "../store/shared/event-stream-queries.js";
import type { Store } from "../store/store.js";
import { sealWebhook, type WebhookKey } from "../webhooks/envelope.js";
import type { RateLimiter } from "./rate-limit.js";
import { assertWireHeadersSentOnce } from "./repeated-headers.js";

export const EVENT_STREAM_PATH = "/events.stream";

export interface EventStreamOptions {
  /** How often a connected stream asks the database for new events (default 200 ms). */
  pollIntervalMs?: number;
  /** How often a comment line keeps proxies from closing an idle stream (default 15 s). */
  keepAliveMs?: number;
}

export interface EventStreamDeps {
  store: Store;
  clock: Clock;
  secretBox: SecretBox;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  options?: EventStreamOptions;
}

/** How far back `Last-Event-ID` may reach (webhooks.md). */
const RESUME_WINDOW_MS = 7 * 24 * 3600 * 1000;
const BATCH = 100;
const ACCOUNT_ID = new RegExp(idPattern("sb_", "lv_"));
const EMPTY = Buffer.alloc(0);

export function noActiveWebhookKey(): ApiError {
  return ruleViolation(
    "Webhook Key",
    "NO_ACTIVE_KEY",
    "The account has no ACTIVE webhook key to seal events with",
  );
}

/** The one query parameter, exactly once and well formed. */
function accountIdOf(url: string): string {
  const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
  for (const name of query.keys()) {
    if (name !== "account_id") throw badRequest(`Unknown query parameter: ${name}`, name);
  }
  const values = query.getAll("account_id");
  const accountId = values[0];
  if (values.length !== 1 || accountId === undefined || !ACCOUNT_ID.test(accountId)) {
    throw badRequest("account_id is required once, as an account ID (sb_… or lv_…)", "account_id");
  }
  return accountId;
}

/** One Server-Sent Events message; the JSON holds no newline, so `data:` is one line. */
function message(event: EventRecord, key: WebhookKey): string {
  const body = JSON.stringify(sealWebhook(event, key, 0));
  return `id: ${event.id}\nevent: ${event.event_type}\ndata: ${body}\n\n`;
}

export function registerEventStream(app: FastifyInstance, deps: EventStreamDeps): void {
  const pollIntervalMs = deps.options?.pollIntervalMs ?? 200;
  const keepAliveMs = deps.options?.keepAliveMs ?? 15_000;
  const open = new Set<() => void>();
  // A stream never ends by itself: closing the app ends them, or close would wait forever.
  app.addHook("preClose", async () => {
    for (const end of open) end();
  });

  /** The account's ACTIVE key, unsealed once per sealed value. */
  const unsealed = new Map<string, WebhookKey>();
  async function activeKey(accountId: string): Promise<WebhookKey | undefined> {
    const row = await deps.store.activeWebhookKeyOf(accountId);
    if (!row) return undefined;
    const cacheKey = `${accountId}/${row.key_id}/${row.secret_sealed}`;
    let key = unsealed.get(cacheKey);
    if (!key) {
      const secret = deps.secretBox.open(row.secret_sealed, `${accountId}/${row.key_id}`);
      key = { keyId: row.key_id, secret };
      if (unsealed.size > 1000) unsealed.clear();
      unsealed.set(cacheKey, key);
    }
    return key;
  }

  /** Every check that can refuse, in order; returns the account and where its stream starts. */
  async function admit(request: FastifyRequest): Promise<{ accountId: string; from: StreamPosition }> {
    assertWireHeadersSentOnce(request.raw.headersDistinct);
    const { credential, guard } = await deps.authenticator.authenticate({
      method: request.method,
      target: request.url,
      headers: request.raw.headersDistinct,
      body: EMPTY,
    });
    if (guard.nonce) await claimNonce(deps.store, guard.nonce);
    await deps.rateLimiter.take(credential.api_key);
    const accountId = accountIdOf(request.url);
    await visibleAccount(deps.store, credential, accountId, "account_id");
    const lastEventId = request.headers["last-event-id"];
    let from: StreamPosition;
    if (lastEventId === undefined) {
      from = await deps.store.eventStreamHead();
    } else {
      const since = new Date(deps.clock.now().getTime() - RESUME_WINDOW_MS).toISOString();
      const found =
        typeof lastEventId === "string"
          ? await deps.store.eventStreamPositionOf(accountId, lastEventId, since)
          : undefined;
      if (!found) {
        throw badRequest(
          "Last-Event-ID is not an event of this account from the last 7 days",
          "Last-Event-ID",
        );
      }
      from = found;
    }
    if (!(await activeKey(accountId))) throw noActiveWebhookKey();
    return { accountId, from };
  }

  app.get(EVENT_STREAM_PATH, { schema: { hide: true } }, async (request, reply) => {
    const { accountId, from } = await admit(request);
    stream(request, reply, accountId, from);
  });

  function stream(request: FastifyRequest, reply: FastifyReply, accountId: string, from: StreamPosition) {
    reply.hijack();
    const raw: ServerResponse<IncomingMessage> = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-trace-id": request.id,
    });
    // Sent at once, so the client knows the stream is open before the first event.
    raw.write(": open\n\n");
    let position = from;
    let ended = false;
    let wake: (() => void) | undefined;
    const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), keepAliveMs);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      open.delete(end);
      wake?.();
      raw.end();
    };
    open.add(end);
    raw.on("close", end);

    const drained = () =>
      new Promise<void>((resolve) => {
        raw.once("drain", resolve);
        raw.once("close", resolve);
      });
    const pause = () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    void (async () => {
      while (!ended) {
        let full = false;
        try {
          const batch = await deps.store.eventStreamAfter(accountId, position, BATCH);
          const key = batch.length > 0 ? await activeKey(accountId) : undefined;
          for (const { event, position: next } of batch) {
            if (ended || !key) break;
            // A slow reader holds the loop rather than this process's memory.
            if (!raw.write(message(event, key))) await drained();
            position = next;
          }
          full = batch.length === BATCH;
        } catch (error) {
          // The database may be away for a moment; the stream goes on from where it was.
          request.log.warn({ err: error }, "event stream read failed");
        }
        if (!full && !ended) await pause();
      }
    })();
  }
}
