/**
 * KSig1 checks 1 and 2 (ksig1.md): the three credential headers, the scheme, the signed-elements
 * list and the headers its elements need. All through real HTTP with hand-made headers.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import {
  AUTH_MESSAGES,
  assertAuthFailed,
  assertSuccess,
  type RawResponse,
  send,
  signedHeaders,
} from "./support/http.js";
import { type Fixture, useTestServer } from "./support/server.js";

const TARGET = "/subjectRecord.list";

for (const kind of databaseKinds()) {
  describe(`KSig1 headers [${kind}]`, () => {
    const server = useTestServer(kind);

    /** A correctly signed subjectRecord.list, with the headers then changed by `edit`. */
    async function sendEdited(
      fixture: Fixture,
      edit: (headers: Record<string, string>) => void,
    ): Promise<RawResponse> {
      const body = JSON.stringify({ account_id: fixture.account.id });
      const headers = signedHeaders(fixture.credential, TARGET, body);
      edit(headers);
      return send(server().url, TARGET, { body, headers });
    }

    it("accepts the unedited request (the baseline every case below changes)", async () => {
      const fixture = await server().fixture();
      assertSuccess(await sendEdited(fixture, () => undefined));
    });

    describe("MISSING_CREDENTIALS", () => {
      for (const missing of ["authorization", "x-api-key", "x-api-auth-token"]) {
        it(`without ${missing}`, async () => {
          const fixture = await server().fixture();
          const response = await sendEdited(fixture, (headers) => {
            delete headers[missing];
          });
          assertAuthFailed(response, "MISSING_CREDENTIALS", AUTH_MESSAGES.MISSING_CREDENTIALS);
        });
      }

      it("with no credential headers at all", async () => {
        const fixture = await server().fixture();
        const response = await send(server().url, TARGET, {
          body: JSON.stringify({ account_id: fixture.account.id }),
          headers: { "content-type": "application/json" },
        });
        assertAuthFailed(response, "MISSING_CREDENTIALS", AUTH_MESSAGES.MISSING_CREDENTIALS);
      });
    });

    describe("MALFORMED_AUTHORIZATION: the Authorization header", () => {
      const signatureOf = (headers: Record<string, string>) =>
        (headers.authorization ?? "").split(" ")[1] ?? "";
      const cases: [string, (headers: Record<string, string>) => string][] = [
        ["another scheme", (h) => `Bearer ${signatureOf(h)}`],
        ["the scheme in another case", (h) => `ksig1-hmac-sha256 ${signatureOf(h)}`],
        ["no space after the scheme", (h) => `KSig1-HMAC-SHA256${signatureOf(h)}`],
        ["two spaces after the scheme", (h) => `KSig1-HMAC-SHA256  ${signatureOf(h)}`],
        ["the scheme alone", () => "KSig1-HMAC-SHA256"],
        ["an empty value", () => ""],
        ["a signature that is not Base64", () => "KSig1-HMAC-SHA256 not*base64!"],
        ["a URL-safe Base64 signature", (h) => `KSig1-HMAC-SHA256 ${signatureOf(h).replace(/[+/]/g, "-")}_`],
        ["too much padding", (h) => `KSig1-HMAC-SHA256 ${signatureOf(h)}==`],
      ];
      for (const [name, value] of cases) {
        it(name, async () => {
          const fixture = await server().fixture();
          const response = await sendEdited(fixture, (headers) => {
            headers.authorization = value(headers);
          });
          assertAuthFailed(response, "MALFORMED_AUTHORIZATION", AUTH_MESSAGES.MALFORMED_AUTHORIZATION);
        });
      }
    });

    describe("MALFORMED_AUTHORIZATION: X-API-Signed-Elements", () => {
      const malformed = [
        ["empty", ""],
        ["a trailing separator", "API-Key;HTTP-Verb;"],
        ["an empty name in the middle", "API-Key;;HTTP-Verb"],
        ["a space after a separator", "API-Key; HTTP-Verb"],
        ["comma-separated", "API-Key,HTTP-Verb"],
        ["an unknown name", "API-Key;HTTP-Verb;Body"],
        ["a name in another case", "API-Key;http-verb"],
        ["a duplicate", "API-Key;HTTP-Verb;HTTP-Verb"],
        ["API-Key not first", "HTTP-Verb;API-Key"],
        ["no API-Key", "HTTP-Verb;URL-Path"],
        ["both content hashes", "API-Key;Content-MD5;Content-SHA256"],
      ];
      for (const [name, value] of malformed) {
        it(name, async () => {
          const fixture = await server().fixture();
          const response = await sendEdited(fixture, (headers) => {
            headers["x-api-signed-elements"] = value as string;
          });
          assertAuthFailed(response, "MALFORMED_AUTHORIZATION", AUTH_MESSAGES.MALFORMED_SIGNED_ELEMENTS);
        });
      }
    });

    describe("MALFORMED_AUTHORIZATION: a signed element whose header is missing or malformed", () => {
      const cases: [string, string, string | undefined, string][] = [
        ["Timestamp missing", "x-api-timestamp", undefined, "X-API-Timestamp"],
        ["Timestamp not a number", "x-api-timestamp", "soon", "X-API-Timestamp"],
        ["Timestamp negative", "x-api-timestamp", "-1764307200", "X-API-Timestamp"],
        ["Timestamp with a fraction", "x-api-timestamp", "1764307200.5", "X-API-Timestamp"],
        ["Timestamp in milliseconds past 12 digits", "x-api-timestamp", "1764307200000", "X-API-Timestamp"],
        ["Nonce missing", "x-api-nonce", undefined, "X-API-Nonce"],
        ["Nonce shorter than 8 characters", "x-api-nonce", "abc1234", "X-API-Nonce"],
        ["Nonce longer than 128 characters", "x-api-nonce", "n".repeat(129), "X-API-Nonce"],
        ["Nonce with a character outside [A-Za-z0-9._~-]", "x-api-nonce", "nonce/with/slash", "X-API-Nonce"],
        ["Content hash missing", "x-api-content-hash", undefined, "X-API-Content-Hash"],
      ];
      for (const [name, header, value, display] of cases) {
        it(name, async () => {
          const fixture = await server().fixture();
          const response = await sendEdited(fixture, (headers) => {
            if (value === undefined) delete headers[header];
            else headers[header] = value;
          });
          assertAuthFailed(response, "MALFORMED_AUTHORIZATION", `${display} is missing or malformed`);
        });
      }

      it("API-Version signed without an X-API-Version header", async () => {
        const fixture = await server().fixture();
        const response = await sendEdited(fixture, (headers) => {
          headers["x-api-signed-elements"] =
            "API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;API-Version;Content-SHA256";
        });
        assertAuthFailed(response, "MALFORMED_AUTHORIZATION", "X-API-Version is missing or malformed");
      });

      it("accepts the boundary nonce lengths 8 and 128", async () => {
        const fixture = await server().fixture();
        const body = JSON.stringify({ account_id: fixture.account.id });
        // Base64url of 6 and 96 random bytes: exactly 8 and 128 characters, all allowed ones.
        for (const nonce of [randomBytes(6).toString("base64url"), randomBytes(96).toString("base64url")]) {
          assert.ok(nonce.length === 8 || nonce.length === 128);
          const headers = signedHeaders(fixture.credential, TARGET, body, { nonce });
          assertSuccess(await send(server().url, TARGET, { body, headers }));
        }
      });
    });

    describe("the order of the checks (ksig1.md)", () => {
      it("a missing header wins over a malformed scheme", async () => {
        const fixture = await server().fixture();
        const response = await sendEdited(fixture, (headers) => {
          headers.authorization = "Bearer x";
          delete headers["x-api-auth-token"];
        });
        assertAuthFailed(response, "MISSING_CREDENTIALS", AUTH_MESSAGES.MISSING_CREDENTIALS);
      });

      it("a malformed element list wins over an unknown key", async () => {
        const fixture = await server().fixture();
        const response = await sendEdited(fixture, (headers) => {
          headers["x-api-key"] = "sb_unknownKey00000000000";
          headers["x-api-signed-elements"] = "API-Key;Bogus";
        });
        assertAuthFailed(response, "MALFORMED_AUTHORIZATION", AUTH_MESSAGES.MALFORMED_SIGNED_ELEMENTS);
      });
    });
  });
}
