/**
 * The SDK retries safely (issue 16, item 3): only a network error, 429 or 503 is tried again; a
 * write keeps one Idempotency-Key across its attempts and every attempt is signed afresh, so a
 * retry whose first answer was lost creates nothing twice. A real proxy (support/fault-proxy.ts)
 * in front of the real server fails the attempts; waits go through a recording `sleep`, so the
 * tests assert the waits asked for, never the clock.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type ClientOptions,
  createClient,
  parseRetryAfter,
  type RetryOptions,
  VettedNetworkError,
} from "@vetted/client";
import { databaseKinds } from "./support/databases.js";
import { type FaultProxy, proxyEnvelope, startFaultProxy } from "./support/fault-proxy.js";
import { type Fixture, useTestServer } from "./support/server.js";
import { expectOk, workflowCountOf } from "./support/workflows.js";

/** A retry policy that sleeps not at all and remembers each wait it was asked for. */
function recordingRetry(options: RetryOptions = {}): { retry: RetryOptions; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    retry: {
      random: () => 0.5,
      ...options,
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  };
}

for (const kind of databaseKinds()) {
  describe(`SDK retries [${kind}]`, () => {
    const server = useTestServer(kind);
    let proxy: FaultProxy;
    let fixture: Fixture;
    before(async () => {
      proxy = await startFaultProxy(server().url);
      fixture = await server().fixture();
    });
    after(async () => {
      await proxy.close();
    });

    function clientThroughProxy(retry: ClientOptions["retry"]) {
      const { credential } = fixture;
      return createClient({
        baseUrl: proxy.url,
        apiKey: credential.api_key,
        secretKey: credential.secret_key,
        authToken: credential.auth_token,
        retry,
      });
    }

    function provisioningBody() {
      return { account_id: fixture.account.id, workflow: { type: "ACCOUNT_PROVISIONING" as const } };
    }

    /** Plans the faults, runs the call, and returns what the proxy received for it. */
    async function throughFaults<T>(faults: Parameters<FaultProxy["plan"]>[0], run: () => Promise<T>) {
      proxy.received.length = 0;
      proxy.plan(faults);
      const value = await run();
      return { value, received: [...proxy.received] };
    }

    function assertSameKeyFreshSignature(received: FaultProxy["received"]) {
      const keys = received.map((r) => r.headers["idempotency-key"]);
      assert.ok(typeof keys[0] === "string" && keys[0].length > 0, "a write carries an Idempotency-Key");
      assert.ok(
        keys.every((key) => key === keys[0]),
        `one key across attempts: ${keys.join(", ")}`,
      );
      const nonces = new Set(received.map((r) => r.headers["x-api-nonce"]));
      const signatures = new Set(received.map((r) => r.headers.authorization));
      assert.equal(nonces.size, received.length, "a fresh nonce on every attempt");
      assert.equal(signatures.size, received.length, "a fresh signature on every attempt");
      assert.ok(
        received.every((r) => r.body === received[0]?.body),
        "the same body bytes on every attempt",
      );
    }

    it("a 503 with Retry-After: 0, then the write goes through once, same key, signed afresh", async () => {
      const { retry, waits } = recordingRetry();
      const before = await workflowCountOf(server(), fixture.account.id);
      const { value: result, received } = await throughFaults(
        [{ kind: "answer", status: 503, headers: { "retry-after": "0" } }],
        () => clientThroughProxy(retry).call("workflow.create", provisioningBody()),
      );
      expectOk(result);
      assert.equal(result.attempts, 2);
      assert.equal(received.length, 2);
      assertSameKeyFreshSignature(received);
      assert.deepEqual(waits, [0]);
      assert.equal(await workflowCountOf(server(), fixture.account.id), before + 1);
    });

    it("the answer lost after the server acted: the retry replays it and nothing is created twice", async () => {
      const { retry } = recordingRetry();
      const before = await workflowCountOf(server(), fixture.account.id);
      const { value: result, received } = await throughFaults([{ kind: "drop-after" }], () =>
        clientThroughProxy(retry).call("workflow.create", provisioningBody()),
      );
      expectOk(result);
      assert.equal(result.attempts, 2);
      assertSameKeyFreshSignature(received);
      assert.equal(result.headers.get("idempotent-replayed"), "true");
      assert.equal(await workflowCountOf(server(), fixture.account.id), before + 1);
    });

    it("a connection dropped before the server saw it is retried with the real default sleep", async () => {
      const before = await workflowCountOf(server(), fixture.account.id);
      const { value: result, received } = await throughFaults([{ kind: "drop-before" }], () =>
        clientThroughProxy({ baseDelayMs: 1 }).call("workflow.create", provisioningBody()),
      );
      expectOk(result);
      assert.equal(received.length, 2);
      assertSameKeyFreshSignature(received);
      assert.equal(await workflowCountOf(server(), fixture.account.id), before + 1);
    });

    it("keeps the caller's own Idempotency-Key on every attempt", async () => {
      const { retry } = recordingRetry();
      const { received } = await throughFaults([{ kind: "answer", status: 503 }], () =>
        clientThroughProxy(retry).call("workflow.create", provisioningBody(), {
          idempotencyKey: "caller-key-1",
        }),
      );
      assert.deepEqual(
        received.map((r) => r.headers["idempotency-key"]),
        ["caller-key-1", "caller-key-1"],
      );
      const { received: viaHeader } = await throughFaults([{ kind: "answer", status: 503 }], () =>
        clientThroughProxy(retry).call("workflow.create", provisioningBody(), {
          headers: { "Idempotency-Key": "caller-key-2" },
        }),
      );
      assert.deepEqual(
        viaHeader.map((r) => r.headers["idempotency-key"]),
        ["caller-key-2", "caller-key-2"],
      );
    });

    it("a read is retried too, and carries no Idempotency-Key", async () => {
      const { retry } = recordingRetry();
      const { value: result, received } = await throughFaults([{ kind: "answer", status: 503 }], () =>
        clientThroughProxy(retry).call("subjectRecord.list", { account_id: fixture.account.id }),
      );
      expectOk(result);
      assert.equal(received.length, 2);
      assert.ok(received.every((r) => r.headers["idempotency-key"] === undefined));
    });

    for (const status of [400, 401, 403, 409, 500, 502]) {
      it(`never retries a ${status}`, async () => {
        const { retry, waits } = recordingRetry();
        const { value: result, received } = await throughFaults(
          [{ kind: "answer", status, body: proxyEnvelope("INTERNAL_ERROR", `injected ${status}`) }],
          () => clientThroughProxy(retry).call("workflow.create", provisioningBody()),
        );
        assert.equal(result.ok, false);
        assert.equal(result.status, status);
        assert.equal(result.attempts, 1);
        assert.equal(received.length, 1);
        assert.deepEqual(waits, []);
      });
    }

    it("never retries the server's own 400 and 401", async () => {
      const { retry } = recordingRetry();
      const { value: bad, received } = await throughFaults([], () =>
        clientThroughProxy(retry).call("workflow.create", {
          account_id: fixture.account.id,
          workflow: { type: "NOT_A_TYPE" },
        } as never),
      );
      assert.equal(bad.status, 400);
      assert.equal(received.length, 1);
      const { credential } = fixture;
      const wrongSecret = createClient({
        baseUrl: proxy.url,
        apiKey: credential.api_key,
        secretKey: Buffer.alloc(32, 1).toString("base64"),
        authToken: credential.auth_token,
        retry,
      });
      const { value: refused, received: sent } = await throughFaults([], () =>
        wrongSecret.call("workflow.create", provisioningBody()),
      );
      assert.equal(refused.status, 401);
      assert.equal(sent.length, 1);
    });

    it("a 429 waits what Retry-After says, in seconds or as an HTTP date", async () => {
      const { retry, waits } = recordingRetry();
      const inThreeSeconds = new Date(Date.now() + 3000).toUTCString();
      const { value: result } = await throughFaults(
        [
          { kind: "answer", status: 429, headers: { "retry-after": "2" } },
          { kind: "answer", status: 429, headers: { "retry-after": inThreeSeconds } },
        ],
        () => clientThroughProxy(retry).call("subjectRecord.list", { account_id: fixture.account.id }),
      );
      expectOk(result);
      assert.equal(result.attempts, 3);
      assert.equal(waits[0], 2000);
      // An HTTP date has one-second resolution and the clock moved on: up to three seconds.
      assert.ok(waits[1] !== undefined && waits[1] > 0 && waits[1] <= 3000, `waited ${waits[1]}`);
    });

    it("without Retry-After, backs off exponentially with jitter, within the bounds", async () => {
      const { retry, waits } = recordingRetry({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 });
      const { value: result, received } = await throughFaults(
        [
          { kind: "answer", status: 503 },
          { kind: "answer", status: 503 },
          { kind: "answer", status: 503 },
          { kind: "answer", status: 503 },
        ],
        () => clientThroughProxy(retry).call("workflow.create", provisioningBody()),
      );
      // random() = 0.5: half of 100, 200, 400; then out of attempts, and the 503 is the answer.
      assert.deepEqual(waits, [50, 100, 200]);
      assert.equal(received.length, 4);
      assert.equal(result.ok, false);
      assert.equal(result.status, 503);
      assert.equal(result.ok === false && result.errors[0]?.code, "SERVICE_UNAVAILABLE");
    });

    it("stops when Retry-After asks for more than maxDelayMs, or the total time would pass maxElapsedMs", async () => {
      const long = recordingRetry({ maxDelayMs: 5000 });
      const { received } = await throughFaults(
        [{ kind: "answer", status: 503, headers: { "retry-after": "60" } }],
        () => clientThroughProxy(long.retry).call("workflow.create", provisioningBody()),
      );
      assert.equal(received.length, 1);
      assert.deepEqual(long.waits, []);
      const short = recordingRetry({ maxElapsedMs: 1000 });
      const { received: sent } = await throughFaults(
        [{ kind: "answer", status: 429, headers: { "retry-after": "2" } }],
        () => clientThroughProxy(short.retry).call("workflow.create", provisioningBody()),
      );
      assert.equal(sent.length, 1);
    });

    it("retry: false sends once; network failures past the last attempt throw VettedNetworkError", async () => {
      const { received } = await throughFaults([{ kind: "answer", status: 503 }], () =>
        clientThroughProxy(false).call("workflow.create", provisioningBody()),
      );
      assert.equal(received.length, 1);
      assert.equal(received[0]?.headers["idempotency-key"], undefined);
      const { retry } = recordingRetry({ maxAttempts: 2 });
      proxy.plan([{ kind: "drop-before" }, { kind: "drop-before" }]);
      await assert.rejects(
        clientThroughProxy(retry).call("workflow.create", provisioningBody()),
        (error: unknown) => error instanceof VettedNetworkError && error.attempts === 2,
      );
    });
  });
}

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delay-seconds and HTTP dates; anything else is no value", () => {
    assert.equal(parseRetryAfter("0", now), 0);
    assert.equal(parseRetryAfter(" 7 ", now), 7000);
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now), 5000);
    assert.equal(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter("-1", now), undefined);
  });
});
