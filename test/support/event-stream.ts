/**
 * The live event stream from a test's side: a reader that waits for the stream's next items, and
 * the check that a message's envelope opens with the account's key (webhook-rows.ts writes it).
 */
import assert from "node:assert/strict";
import {
  openEventStream,
  openWebhook,
  type StreamItem,
  type WebhookEnvelope,
  type WebhookPayload,
  type WebhookSecret,
} from "@vetted/client";
import type { IssuedCredential } from "../../src/admin/operator.js";
import type { TestServer } from "./server.js";

export interface StreamedMessage {
  id: string;
  event: string;
  envelope: WebhookEnvelope;
}

/** An open stream whose items a test takes one by one, each within a generous bound. */
export interface TestStream {
  /** The next event message (comments skipped), or a failure if none comes. */
  nextEvent(): Promise<StreamedMessage>;
  /** The next comment line. */
  nextComment(): Promise<string>;
  close(): void;
}

const WAIT_MS = 10_000;

export async function streamFor(
  server: TestServer,
  credential: Pick<IssuedCredential, "api_key" | "secret_key" | "auth_token">,
  accountId: string,
  options: { lastEventId?: string } = {},
): Promise<TestStream> {
  const opened = await openEventStream(
    {
      baseUrl: server.url,
      apiKey: credential.api_key,
      secretKey: credential.secret_key,
      authToken: credential.auth_token,
    },
    accountId,
    options,
  );
  if (!opened.ok) assert.fail(`stream refused: ${opened.status} ${JSON.stringify(opened.errors)}`);
  const { items, close } = opened;
  async function next(kind: StreamItem["kind"]): Promise<StreamItem> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${kind} on the stream within ${WAIT_MS} ms`)), WAIT_MS);
    });
    try {
      for (;;) {
        const item = await Promise.race([items.next(), timeout]);
        if (item.done) assert.fail("the stream ended");
        if (item.value.kind === kind) return item.value;
      }
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    async nextEvent() {
      const item = await next("event");
      assert.equal(item.kind, "event");
      return { id: item.id, event: item.event, envelope: JSON.parse(item.data) as WebhookEnvelope };
    },
    async nextComment() {
      const item = await next("comment");
      assert.equal(item.kind, "comment");
      return item.text;
    },
    close,
  };
}

/** Opens a message's envelope with the key, checking the SSE fields agree with it. */
export async function openMessage(
  message: StreamedMessage,
  key: { keyId: string; secret: WebhookSecret },
): Promise<WebhookPayload> {
  assert.equal(message.envelope.id, message.id);
  assert.equal(message.envelope.event_type, message.event);
  assert.equal(message.envelope.key_id, key.keyId);
  assert.equal(message.envelope.retry_count, 0);
  return openWebhook(message.envelope, { [key.keyId]: key.secret });
}
