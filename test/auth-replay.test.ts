/**
 * KSig1 checks 7 and 8 (timestamp window, nonce replay), the order of all eight checks, and that a
 * request failing authentication writes nothing (not even its nonce).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Element } from "../src/auth/ksig1.js";
import { databaseKinds } from "./support/databases.js";
import {
  AUTH_MESSAGES,
  assertAuthFailed,
  assertSuccess,
  type RawResponse,
  send,
  sendSigned,
  signedHeaders,
} from "./support/http.js";
import { type TestServer, useTestServer } from "./support/server.js";

const SKEW_MS = 300_000;

/** An hour ago, in Unix seconds: well outside the default skew. */
const staleTimestamp = () => Math.floor(Date.now() / 1000) - 3600;

/** Runs fn with the server clock moved, and always moves it back. */
async function withClockOffset<T>(server: TestServer, offsetMs: number, fn: () => Promise<T>): Promise<T> {
  server.clock.offsetMs = offsetMs;
  try {
    return await fn();
  } finally {
    server.clock.offsetMs = 0;
  }
}

for (const kind of databaseKinds()) {
  describe(`KSig1 timestamps, nonces and check order [${kind}]`, () => {
    const server = useTestServer(kind);

    async function subjectRecordsOf(accountId: string) {
      return (await server().store.listSubjectRecords(accountId, { limit: 100 })).items;
    }

    describe("TIMESTAMP_OUT_OF_RANGE", () => {
      for (const [name, offsetMs] of [
        ["server clock ahead by more than the skew", SKEW_MS + 10_000],
        ["server clock behind by more than the skew", -SKEW_MS - 10_000],
      ] as const) {
        it(name, async () => {
          const { credential, account } = await server().fixture();
          const response = await withClockOffset(server(), offsetMs, () =>
            sendSigned(server().url, credential, "subjectRecord.list", { account_id: account.id }),
          );
          assertAuthFailed(response, "TIMESTAMP_OUT_OF_RANGE", AUTH_MESSAGES.TIMESTAMP_OUT_OF_RANGE);
        });
      }

      for (const [name, offsetMs] of [
        ["server clock ahead, within the skew", SKEW_MS - 10_000],
        ["server clock behind, within the skew", -SKEW_MS + 10_000],
      ] as const) {
        it(`accepts: ${name}`, async () => {
          const { credential, account } = await server().fixture();
          const response = await withClockOffset(server(), offsetMs, () =>
            sendSigned(server().url, credential, "subjectRecord.list", { account_id: account.id }),
          );
          assertSuccess(response);
        });
      }

      it("a request refused for its timestamp has not used up its nonce", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.list", body);
        const late = await withClockOffset(server(), SKEW_MS + 10_000, () =>
          send(server().url, "/subjectRecord.list", { body, headers }),
        );
        assertAuthFailed(late, "TIMESTAMP_OUT_OF_RANGE", AUTH_MESSAGES.TIMESTAMP_OUT_OF_RANGE);
        assertSuccess(await send(server().url, "/subjectRecord.list", { body, headers }));
      });
    });

    describe("NONCE_REUSED", () => {
      it("the exact same request sent twice: the replay is refused and creates nothing", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id, subject_record: { type: "BUSINESS" } });
        const headers = signedHeaders(credential, "/subjectRecord.create", body);
        assertSuccess(await send(server().url, "/subjectRecord.create", { body, headers }));
        const replay = await send(server().url, "/subjectRecord.create", { body, headers });
        assertAuthFailed(replay, "NONCE_REUSED", AUTH_MESSAGES.NONCE_REUSED);
        assert.equal((await subjectRecordsOf(account.id)).length, 1);
      });

      it("the same nonce on a different, correctly signed request", async () => {
        const { credential, account } = await server().fixture();
        const nonce = "reused-nonce-0001";
        const first = await sendSigned(
          server().url,
          credential,
          "subjectRecord.list",
          { account_id: account.id },
          { nonce },
        );
        assertSuccess(first);
        const second = await sendSigned(
          server().url,
          credential,
          "subjectRecord.list",
          { account_id: account.id, limit: 5 },
          { nonce },
        );
        assertAuthFailed(second, "NONCE_REUSED", AUTH_MESSAGES.NONCE_REUSED);
      });

      it("a nonce is per API key: another credential may use the same one", async () => {
        const one = await server().fixture();
        const two = await server().fixture();
        const nonce = `shared-${Date.now()}`;
        for (const { credential, account } of [one, two]) {
          const response = await sendSigned(
            server().url,
            credential,
            "subjectRecord.list",
            { account_id: account.id },
            { nonce },
          );
          assertSuccess(response);
        }
      });

      it("a nonce of a request that failed authentication stays unused", async () => {
        const { credential, account } = await server().fixture();
        const other = await server().fixture();
        const nonce = `after-failure-${Date.now()}`;
        const body = { account_id: account.id };
        const forged = await sendSigned(
          server().url,
          { ...credential, secret_key: other.credential.secret_key },
          "subjectRecord.list",
          body,
          { nonce },
        );
        assertAuthFailed(forged, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
        assertSuccess(await sendSigned(server().url, credential, "subjectRecord.list", body, { nonce }));
      });

      it("a signed Nonce without a signed Timestamp (compat credential)", async () => {
        const { credential, account } = await server().fixture({ credential: { signaturePolicy: "compat" } });
        const response = await sendSigned(
          server().url,
          credential,
          "subjectRecord.list",
          { account_id: account.id },
          { elements: ["API-Key", "Nonce"] },
        );
        assertAuthFailed(response, "NONCE_REUSED", AUTH_MESSAGES.NONCE_WITHOUT_TIMESTAMP);
      });
    });

    describe("the order of the checks (ksig1.md)", () => {
      it("unknown key and a stale timestamp: INVALID_CREDENTIALS", async () => {
        const { credential, account } = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, api_key: "sb_0000000000000000000001" },
          "subjectRecord.list",
          { account_id: account.id },
          { timestamp: staleTimestamp() },
        );
        assertAuthFailed(response, "INVALID_CREDENTIALS", AUTH_MESSAGES.INVALID_CREDENTIALS);
      });

      it("wrong token and too few signed elements: INVALID_CREDENTIALS", async () => {
        const { credential, account } = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, auth_token: "x".repeat(58) },
          "subjectRecord.list",
          { account_id: account.id },
          { elements: ["API-Key"] },
        );
        assertAuthFailed(response, "INVALID_CREDENTIALS", AUTH_MESSAGES.INVALID_CREDENTIALS);
      });

      it("too few signed elements and a wrong secret: INSUFFICIENT_SIGNED_ELEMENTS", async () => {
        const { credential, account } = await server().fixture();
        const other = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, secret_key: other.credential.secret_key },
          "subjectRecord.list",
          { account_id: account.id },
          { elements: ["API-Key", "HTTP-Verb"] },
        );
        assertAuthFailed(
          response,
          "INSUFFICIENT_SIGNED_ELEMENTS",
          AUTH_MESSAGES.INSUFFICIENT_SIGNED_ELEMENTS,
        );
      });

      it("wrong secret and a stale timestamp: SIGNATURE_MISMATCH", async () => {
        const { credential, account } = await server().fixture();
        const other = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, secret_key: other.credential.secret_key },
          "subjectRecord.list",
          { account_id: account.id },
          { timestamp: staleTimestamp() },
        );
        assertAuthFailed(response, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      });

      it("swapped body and a stale timestamp: CONTENT_HASH_MISMATCH", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.list", body, {
          timestamp: staleTimestamp(),
        });
        const response = await send(server().url, "/subjectRecord.list", { body: "{}", headers });
        assertAuthFailed(response, "CONTENT_HASH_MISMATCH", AUTH_MESSAGES.CONTENT_HASH_MISMATCH);
      });

      it("a replayed request once its timestamp is stale: TIMESTAMP_OUT_OF_RANGE", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.list", body);
        assertSuccess(await send(server().url, "/subjectRecord.list", { body, headers }));
        const replay = await withClockOffset(server(), SKEW_MS + 10_000, () =>
          send(server().url, "/subjectRecord.list", { body, headers }),
        );
        assertAuthFailed(replay, "TIMESTAMP_OUT_OF_RANGE", AUTH_MESSAGES.TIMESTAMP_OUT_OF_RANGE);
      });
    });

    describe("a request that fails authentication writes nothing", () => {
      const strictElements: Element[] = [
        "API-Key",
        "HTTP-Verb",
        "URL-Path",
        "Timestamp",
        "Nonce",
        "Content-SHA256",
      ];
      it("no subject record, workflow or event for any failing sub_code", async () => {
        const { credential, account } = await server().fixture();
        const other = await server().fixture();
        const attempts: [string, () => Promise<RawResponse>][] = [];
        for (const method of ["subjectRecord.create", "workflow.create"]) {
          const body =
            method === "subjectRecord.create"
              ? { account_id: account.id, subject_record: { type: "BUSINESS" } }
              : { account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } };
          const url = server().url;
          attempts.push(
            [
              "MISSING_CREDENTIALS",
              () =>
                send(url, `/${method}`, {
                  body: JSON.stringify(body),
                  headers: { "content-type": "application/json" },
                }),
            ],
            [
              "INVALID_CREDENTIALS",
              () => sendSigned(url, { ...credential, auth_token: other.credential.auth_token }, method, body),
            ],
            [
              "INSUFFICIENT_SIGNED_ELEMENTS",
              () => sendSigned(url, credential, method, body, { elements: ["API-Key"] }),
            ],
            [
              "SIGNATURE_MISMATCH",
              () => sendSigned(url, { ...credential, secret_key: other.credential.secret_key }, method, body),
            ],
            [
              "TIMESTAMP_OUT_OF_RANGE",
              () =>
                sendSigned(url, credential, method, body, {
                  elements: strictElements,
                  timestamp: staleTimestamp(),
                }),
            ],
          );
        }
        for (const [subCode, attempt] of attempts) {
          const response = await attempt();
          assert.equal(response.status, 401, subCode);
          assert.equal(response.json.errors?.[0]?.sub_code, subCode);
        }
        assert.deepEqual(await subjectRecordsOf(account.id), []);
        assert.deepEqual(await server().store.listEvents({ accountId: account.id }), []);
      });
    });
  });
}
