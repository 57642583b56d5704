/**
 * The live event stream from a test's side: an ACTIVE webhook key written straight to the
 * database (until webhook.key.* lands, test/support/webhooks.ts), and a reader that waits for the
 * stream's next items.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { IssuedCredential } from "../../src/admin/operator.js";
import { createSecretBox } from "../../src/auth/secret-box.js";
import { openEventStream, type StreamItem } from "../../src/client/event-stream.js";
import { openWebhook, type WebhookEnvelope, type WebhookPayload } from "../../src/client/index.js";
import { TEST_MASTER_KEY, type TestServer } from "./server.js";
import { executeSql } from "./sql.js";

export interface TestWebhookKey {
  keyId: string;
  /** Standard Base64, as webhook.key.create returns it. */
  secret: string;
}

let keyNumber = 0;

/** Writes an ACTIVE key for the account (its previous ACTIVE one, if any, DELETED). */
export async function insertActiveWebhookKey(server: TestServer, accountId: string): Promise<TestWebhookKey> {
  keyNumber += 1;
  const keyId = `whk_20261201_${String(keyNumber).padStart(2, "0")}`;
  const secret = randomBytes(32);
  const sealed = createSecretBox(TEST_MASTER_KEY).seal(secret, `${accountId}/${keyId}`);
  const now = new Date().toISOString();
  await executeSql(server.database, [
    [
      "update webhook_keys set status = 'DELETED', deleted_at = $1 where account_id = $2 and status = 'ACTIVE'",
      [now, accountId],
    ],
    [
      "insert into webhook_keys (account_id, key_id, secret_sealed, status, created_at, activated_at) values ($1, $2, $3, 'ACTIVE', $4, $5)",
      [accountId, keyId, sealed, now, now],
    ],
  ]);
  return { keyId, secret: secret.toString("base64") };
}

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
export async function openMessage(message: StreamedMessage, key: TestWebhookKey): Promise<WebhookPayload> {
  assert.equal(message.envelope.id, message.id);
  assert.equal(message.envelope.event_type, message.event);
  assert.equal(message.envelope.key_id, key.keyId);
  assert.equal(message.envelope.retry_count, 0);
  return openWebhook(message.envelope, { [key.keyId]: key.secret });
}
