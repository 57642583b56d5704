/**
 * The edges of two KSig1 checks that a lenient implementation gets wrong while every other test
 * still passes: the signature is compared byte for byte (Base64 is case-sensitive), and the clock
 * skew includes its edges (ksig1.md: exactly 300 s off passes, 301 s fails).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { AUTH_MESSAGES, assertAuthFailed, assertSuccess, send, signedHeaders } from "./support/http.js";
import { type TestServer, useTestServer } from "./support/server.js";
import { workflowCountOf } from "./support/workflows.js";

const SKEW_SECONDS = 300;

/** The signature with the case of its first letter flipped: the same text to a case-blind compare. */
function flipFirstLetterCase(authorization: string): string {
  const [scheme, signature = ""] = authorization.split(" ");
  const at = signature.search(/[A-Za-z]/);
  assert.ok(at >= 0, "a Base64 HMAC-SHA256 signature has a letter");
  const letter = signature.charAt(at);
  const flipped = letter === letter.toUpperCase() ? letter.toLowerCase() : letter.toUpperCase();
  return `${scheme} ${signature.slice(0, at)}${flipped}${signature.slice(at + 1)}`;
}

/** Runs fn with the server clock standing still at a whole second, and always releases it. */
async function withPinnedClock<T>(server: TestServer, nowSeconds: number, fn: () => Promise<T>): Promise<T> {
  server.clock.pinnedMs = nowSeconds * 1000;
  try {
    return await fn();
  } finally {
    server.clock.pinnedMs = undefined;
  }
}

for (const kind of databaseKinds()) {
  describe(`KSig1 edges [${kind}]`, () => {
    const server = useTestServer(kind);

    it("a signature with one letter's case flipped is SIGNATURE_MISMATCH, writes nothing and keeps the nonce unused", async () => {
      const { credential, account } = await server().fixture();
      const body = JSON.stringify({ account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } });
      const headers = signedHeaders(credential, "/workflow.create", body);
      const tampered = { ...headers, authorization: flipFirstLetterCase(headers.authorization ?? "") };
      assert.notEqual(tampered.authorization, headers.authorization);

      const refused = await send(server().url, "/workflow.create", { body, headers: tampered });
      assertAuthFailed(refused, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      assert.equal(await workflowCountOf(server(), account.id), 0);
      // The refused request did not record its nonce: the honest request with it still runs.
      assertSuccess(await send(server().url, "/workflow.create", { body, headers }));
      assert.equal(await workflowCountOf(server(), account.id), 1);
    });

    it("a timestamp exactly at the skew passes, one second beyond fails, on both sides", async () => {
      const { credential, account } = await server().fixture();
      const body = JSON.stringify({ account_id: account.id });
      const now = Math.floor(Date.now() / 1000);
      const sendAt = (timestamp: number) =>
        withPinnedClock(server(), now, () =>
          send(server().url, "/subjectRecord.list", {
            body,
            headers: signedHeaders(credential, "/subjectRecord.list", body, { timestamp }),
          }),
        );
      for (const edge of [now - SKEW_SECONDS, now + SKEW_SECONDS]) {
        assertSuccess(await sendAt(edge));
      }
      for (const beyond of [now - SKEW_SECONDS - 1, now + SKEW_SECONDS + 1]) {
        assertAuthFailed(
          await sendAt(beyond),
          "TIMESTAMP_OUT_OF_RANGE",
          AUTH_MESSAGES.TIMESTAMP_OUT_OF_RANGE,
        );
      }
    });
  });
}
