/**
 * The client side of `GET /events.stream` (webhooks.md "Live event stream"): a signed request and
 * a Server-Sent Events reader. `vetted listen` and the tests read the stream through this. The
 * body is read with a stream reader, not `for await`, which not every browser's ReadableStream has.
 */
import type { ClientOptions } from "./client.js";
import type { WireError } from "./errors.js";
import { signRequest } from "./ksig1.js";

/** One item of the stream: an event message, or a comment line (the keep-alive). */
export type StreamItem =
  | { kind: "event"; id: string; event: string; data: string }
  | { kind: "comment"; text: string };

export type OpenedStream =
  | { ok: true; status: number; items: AsyncGenerator<StreamItem>; close(): void }
  | { ok: false; status: number; errors: WireError[] };

/** Splits SSE text into items; feed it chunks as they come, in order. */
export function createStreamParser(): (chunk: string) => StreamItem[] {
  let buffered = "";
  let fields: { id: string; event: string; data: string[] } = { id: "", event: "message", data: [] };
  return (chunk) => {
    buffered += chunk;
    const items: StreamItem[] = [];
    let newline = buffered.search(/\r\n|\r|\n/);
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + (buffered.startsWith("\r\n", newline) ? 2 : 1));
      newline = buffered.search(/\r\n|\r|\n/);
      if (line === "") {
        if (fields.data.length > 0) {
          items.push({ kind: "event", id: fields.id, event: fields.event, data: fields.data.join("\n") });
        }
        fields = { id: fields.id, event: "message", data: [] };
        continue;
      }
      if (line.startsWith(":")) {
        items.push({ kind: "comment", text: line.slice(1).trimStart() });
        continue;
      }
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (name === "id") fields.id = value;
      else if (name === "event") fields.event = value;
      else if (name === "data") fields.data.push(value);
    }
    return items;
  };
}

/** The stream's request target for an account. */
export function eventStreamTarget(accountId: string): string {
  return `/events.stream?account_id=${encodeURIComponent(accountId)}`;
}

/**
 * Opens the account's stream, signed like any request (GET, the path with its query, the empty
 * body). A refusal comes back as the error envelope's errors; `items` ends when the stream does.
 */
export async function openEventStream(
  options: ClientOptions,
  accountId: string,
  { lastEventId }: { lastEventId?: string } = {},
): Promise<OpenedStream> {
  const target = eventStreamTarget(accountId);
  const headers: Record<string, string> = {
    accept: "text/event-stream",
    ...(await signRequest(options, {
      method: "GET",
      target,
      body: new Uint8Array(0),
      elements: options.signedElements,
      version: options.version,
    })),
  };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  const abort = new AbortController();
  const send = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const response = await send(options.baseUrl.replace(/\/$/, "") + target, {
    method: "GET",
    headers,
    signal: abort.signal,
  });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let errors: WireError[] = [];
    try {
      errors = (JSON.parse(text) as { errors?: WireError[] }).errors ?? [];
    } catch {
      errors = [{ code: "INTERNAL_ERROR", message: text.slice(0, 200) }];
    }
    return { ok: false, status: response.status, errors };
  }
  const body = response.body;
  async function* items(): AsyncGenerator<StreamItem> {
    const parse = createStreamParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield* parse(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      // Closing the stream aborts the read: that is its end, not a failure.
      if (!abort.signal.aborted) throw error;
    } finally {
      reader.releaseLock();
    }
  }
  return { ok: true, status: response.status, items: items(), close: () => abort.abort() };
}
