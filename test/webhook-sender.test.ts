/**
 * The webhook sender's safety (webhooks.md "Safety"), in process: a live account's endpoint whose
 * name resolves (through the injected resolver) to a non-public address, or whose host is such an
 * address, is refused before any connection — every socket's 'connect' is recorded through the
 * `net.client.socket` diagnostics channel, and none may happen; a redirect is a failed attempt
 * and is not followed. Only 127.0.0.1 is ever connected to.
 */
import assert from "node:assert/strict";
import diagnostics from "node:diagnostics_channel";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { type Resolver, sendWebhook } from "../src/webhooks/sender.js";
import { type Receiver, startReceiver } from "./support/webhook-receiver.js";

const connects: string[] = [];
const onSocket = (message: unknown) => {
  const { socket } = message as { socket: Socket };
  socket.once("connect", () => connects.push(`${socket.remoteAddress}:${socket.remotePort}`));
};

const resolvingTo =
  (address: string): Resolver =>
  async () => [{ address, family: address.includes(":") ? 6 : 4 }];

const BODY = JSON.stringify({ id: "wh_test" });
const options = (resolver: Resolver, allowInsecure = true) => ({ timeoutMs: 2000, resolver, allowInsecure });

describe("webhook sender", () => {
  let receiver: Receiver;
  let other: Receiver;
  before(async () => {
    diagnostics.subscribe("net.client.socket", onSocket);
    receiver = await startReceiver();
    other = await startReceiver();
  });
  after(async () => {
    diagnostics.unsubscribe("net.client.socket", onSocket);
    await receiver.close();
    await other.close();
  });

  for (const address of [
    "127.0.0.1",
    "10.0.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "fd00::1",
    "::ffff:127.0.0.1",
  ]) {
    it(`refuses a live endpoint resolving to ${address}, connecting nowhere`, async () => {
      connects.length = 0;
      const outcome = await sendWebhook(
        { url: "https://hooks.example.test/in", live: true },
        BODY,
        options(resolvingTo(address)),
      );
      assert.equal(outcome.kind, "refused");
      assert.equal(
        outcome.kind === "refused" && outcome.error,
        `refused: hooks.example.test resolves to ${address}, not a public address`,
      );
      assert.deepEqual(connects, []);
    });
  }

  for (const host of [
    "127.0.0.1",
    "10.0.0.1",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[fd00::1]",
    "[fe80::1]",
    "0.0.0.0",
  ]) {
    it(`refuses a live endpoint at the IP literal ${host}, connecting nowhere`, async () => {
      connects.length = 0;
      const resolver: Resolver = async () => assert.fail("an IP literal is never resolved");
      const outcome = await sendWebhook({ url: `https://${host}/in`, live: true }, BODY, options(resolver));
      assert.equal(outcome.kind, "refused");
      assert.match(outcome.kind === "refused" ? outcome.error : "", /^refused: .* is not a public address$/);
      assert.deepEqual(connects, []);
    });
  }

  it("delivers a sandbox endpoint wherever its name resolves, through the guarded lookup", async () => {
    connects.length = 0;
    const before = receiver.received.length;
    const port = new URL(receiver.url).port;
    const outcome = await sendWebhook(
      { url: `http://receiver.example.test:${port}/in`, live: false },
      BODY,
      options(resolvingTo("127.0.0.1")),
    );
    assert.equal(outcome.kind, "succeeded");
    assert.equal(receiver.received.length, before + 1);
    assert.deepEqual(receiver.received.at(-1)?.body, { id: "wh_test" });
    assert.equal(receiver.received.at(-1)?.contentType, "application/json");
    assert.deepEqual(connects, [`127.0.0.1:${port}`], "the probe does see connections");
  });

  it("does not follow a redirect: a 3xx is a failed attempt", async () => {
    receiver.answer = () => ({ redirectTo: `${other.url}/stolen` });
    try {
      const outcome = await sendWebhook(
        { url: `${receiver.url}/moved`, live: false },
        BODY,
        options(resolvingTo("")),
      );
      assert.deepEqual(outcome.kind === "failed" && [outcome.httpStatus, outcome.error], [
        302,
        "HTTP 302 (redirects are not followed)",
      ]);
      assert.equal(other.received.length, 0);
    } finally {
      receiver.answer = () => 200;
    }
  });

  it("reads at most 64 KiB of an answer: an endless body does not hold the attempt", async () => {
    const LIMIT = 64 << 20;
    let written = 0;
    const ended = new Promise<boolean>((resolve) => {
      const endless = http.createServer((request, response) => {
        request.resume();
        response.writeHead(200, { "content-type": "application/octet-stream" });
        const chunk = Buffer.alloc(16 << 10, 120);
        const pump = () => {
          while (written < LIMIT && !response.destroyed) {
            written += chunk.length;
            if (!response.write(chunk)) return void response.once("drain", pump);
          }
          if (!response.destroyed) response.end();
        };
        // Closed by the sender before the body ended: it stopped reading.
        response.on("close", () => resolve(!response.writableFinished));
        pump();
      });
      endless.listen(0, "127.0.0.1", async () => {
        const { port } = endless.address() as AddressInfo;
        const outcome = await sendWebhook(
          { url: `http://127.0.0.1:${port}/in`, live: false },
          BODY,
          options(resolvingTo("127.0.0.1")),
        );
        assert.deepEqual(outcome.kind === "succeeded" && outcome.httpStatus, 200);
        endless.close();
        endless.closeAllConnections();
      });
    });
    assert.equal(await ended, true, "the sender closed the answer before its end");
    assert.ok(written < LIMIT, `the server wrote ${written} bytes, not all ${LIMIT}`);
  });

  it("refuses an http:// endpoint unless insecure webhooks are allowed", async () => {
    connects.length = 0;
    const outcome = await sendWebhook(
      { url: `${receiver.url}/in`, live: false },
      BODY,
      options(resolvingTo("127.0.0.1"), false),
    );
    assert.equal(outcome.kind, "refused");
    assert.deepEqual(connects, []);
  });
});
