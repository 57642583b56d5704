/**
 * `vetted listen --account <id> --forward-to <url>`: follows the account's live event stream
 * (webhooks.md "Live event stream") and POSTs each message's `data` — the exact envelope an
 * endpoint would receive — unchanged to the URL, one at a time, in stream order. After a drop it
 * reconnects with Last-Event-ID, so no event is skipped or repeated. One line per event on stdout:
 * time, event type, event ID, and the receiver's status or error; progress notes go to stderr.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ClientOptions } from "@vetted/client";
import { openEventStream } from "@vetted/client";
import type { WireError } from "../errors.js";

export interface ListenOptions {
  client: ClientOptions;
  accountId: string;
  forwardTo: string;
  /** One line per event (stdout). */
  out(line: string): void;
  /** Progress and reconnection notes (stderr). */
  note(line: string): void;
  reconnectDelayMs?: number;
}

/** What the receiver is given the time to answer (the delivery's own limit, webhooks.md). */
const FORWARD_TIMEOUT_MS = 30_000;

function refusal(status: number, errors: WireError[]): string {
  const first = errors[0];
  if (!first) return `HTTP ${status}`;
  const detail = [first.code, first.sub_code].filter(Boolean).join("/");
  return `HTTP ${status} ${detail}: ${first.message}`;
}

async function forward(url: string, data: string): Promise<string> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: data,
      redirect: "manual",
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    // The body is not ours to keep; drain it so the connection is reused.
    await response.arrayBuffer().catch(() => undefined);
    return String(response.status);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return `error: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
  }
}

/** Runs until the process is stopped; rejects when the first connection fails or is refused. */
export async function listen(options: ListenOptions): Promise<never> {
  const delay = options.reconnectDelayMs ?? 1000;
  let lastEventId: string | undefined;
  let connectedOnce = false;
  for (;;) {
    let opened: Awaited<ReturnType<typeof openEventStream>>;
    try {
      opened = await openEventStream(options.client, options.accountId, { lastEventId });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      if (!connectedOnce) throw new Error(`cannot reach ${options.client.baseUrl}: ${reason}`);
      options.note(`stream unavailable (${reason}); reconnecting`);
      await sleep(delay);
      continue;
    }
    if (!opened.ok) {
      // A server that is restarting may answer 503 for a moment; anything else is final.
      if (connectedOnce && opened.status >= 500) {
        options.note(`stream refused (${refusal(opened.status, opened.errors)}); reconnecting`);
        await sleep(delay);
        continue;
      }
      throw new Error(`the event stream was refused: ${refusal(opened.status, opened.errors)}`);
    }
    options.note(
      connectedOnce
        ? `reconnected${lastEventId ? ` after ${lastEventId}` : ""}`
        : `listening to ${options.accountId}, forwarding to ${options.forwardTo}`,
    );
    connectedOnce = true;
    try {
      for await (const item of opened.items) {
        if (item.kind !== "event") continue;
        const result = await forward(options.forwardTo, item.data);
        options.out(`${new Date().toISOString()}  ${item.event}  ${item.id}  ${result}`);
        lastEventId = item.id;
      }
    } catch {
      // The connection broke mid-stream: reconnect below, from the last event forwarded.
    }
    options.note("stream closed; reconnecting");
    await sleep(delay);
  }
}
