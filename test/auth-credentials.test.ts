/**
 * KSig1 checks 3 to 6 (ksig1.md): the credential, its signature policy, the signature and the
 * content hash; and the policies' positive cases, Kompliant's quick-start vector among them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LATEST_VERSION } from "../src/domain/versions.js";
import { databaseKinds } from "./support/databases.js";
import {
  AUTH_MESSAGES,
  assertAuthFailed,
  assertSuccess,
  send,
  sendSigned,
  signedHeaders,
} from "./support/http.js";
import { useTestServer } from "./support/server.js";

const QUICK_START = {
  api_key: "sb_3eY9UJuj09636NVPlgmhfa",
  secret_key: "xBeain5pFnPyQkl98qzA+BG+Cjzskpqq9fGKDbDoXNP5",
  auth_token: "7F2Av26rUgtzJYgUG9IilG1W6ZMLnt7Dak3Gyht220KLpkBLSJRMOzhBYd",
};
const QUICK_START_SIGNATURE = "iWEh4jjK9wfjTXd/3GzImPLL1swTZiCPpDbj62vFo2Q=";

for (const kind of databaseKinds()) {
  describe(`KSig1 credentials and signatures [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("INVALID_CREDENTIALS", () => {
      it("an unknown API key", async () => {
        const { credential, account } = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, api_key: "sb_0000000000000000000000" },
          "subjectRecord.list",
          { account_id: account.id },
        );
        assertAuthFailed(response, "INVALID_CREDENTIALS", AUTH_MESSAGES.INVALID_CREDENTIALS);
      });

      it("a known API key with another credential's auth token", async () => {
        const { credential, account } = await server().fixture();
        const other = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, auth_token: other.credential.auth_token },
          "subjectRecord.list",
          { account_id: account.id },
        );
        assertAuthFailed(response, "INVALID_CREDENTIALS", AUTH_MESSAGES.INVALID_CREDENTIALS);
      });

      it("an auth token differing in case only", async () => {
        const { credential, account } = await server().fixture();
        const token = credential.auth_token;
        const flipped = token[0] === token[0]?.toUpperCase() ? token.toLowerCase() : token.toUpperCase();
        assert.notEqual(flipped, token);
        const response = await sendSigned(
          server().url,
          { ...credential, auth_token: flipped },
          "subjectRecord.list",
          { account_id: account.id },
        );
        assertAuthFailed(response, "INVALID_CREDENTIALS", AUTH_MESSAGES.INVALID_CREDENTIALS);
      });

      it("a revoked credential fails from its very next request on", async () => {
        const { credential, account } = await server().fixture();
        const body = { account_id: account.id };
        assertSuccess(await sendSigned(server().url, credential, "subjectRecord.list", body));
        await server().operator.revokeCredential(credential.api_key);
        const response = await sendSigned(server().url, credential, "subjectRecord.list", body);
        assertAuthFailed(response, "INVALID_CREDENTIALS", AUTH_MESSAGES.INVALID_CREDENTIALS);
      });
    });

    describe("INSUFFICIENT_SIGNED_ELEMENTS (strict credentials)", () => {
      const tooFew = [
        ["API-Key only", ["API-Key"]],
        ["no content hash", ["API-Key", "HTTP-Verb", "URL-Path", "Timestamp", "Nonce"]],
        ["no URL-Path", ["API-Key", "HTTP-Verb", "Timestamp", "Nonce", "Content-SHA256"]],
        ["no Nonce", ["API-Key", "HTTP-Verb", "URL-Path", "Timestamp", "Content-SHA256"]],
        ["no Timestamp", ["API-Key", "HTTP-Verb", "URL-Path", "Nonce", "Content-SHA256"]],
        ["no HTTP-Verb", ["API-Key", "URL-Path", "Timestamp", "Nonce", "Content-SHA256"]],
      ] as const;
      for (const [name, elements] of tooFew) {
        it(name, async () => {
          const { credential, account } = await server().fixture();
          const response = await sendSigned(
            server().url,
            credential,
            "subjectRecord.list",
            { account_id: account.id },
            { elements },
          );
          assertAuthFailed(
            response,
            "INSUFFICIENT_SIGNED_ELEMENTS",
            AUTH_MESSAGES.INSUFFICIENT_SIGNED_ELEMENTS,
          );
        });
      }
    });

    describe("SIGNATURE_MISMATCH", () => {
      it("signed with another secret key", async () => {
        const { credential, account } = await server().fixture();
        const other = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, secret_key: other.credential.secret_key },
          "subjectRecord.list",
          { account_id: account.id },
        );
        assertAuthFailed(response, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      });

      it("signed for another target than the one requested", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.create", body);
        const response = await send(server().url, "/subjectRecord.list", { body, headers });
        assertAuthFailed(response, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      });

      it("a query string added to the signed target", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.list", body);
        const response = await send(server().url, "/subjectRecord.list?x=1", { body, headers });
        assertAuthFailed(response, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      });

      it("a signed header changed after signing (timestamp)", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.list", body);
        headers["x-api-timestamp"] = String(Number(headers["x-api-timestamp"]) - 1);
        const response = await send(server().url, "/subjectRecord.list", { body, headers });
        assertAuthFailed(response, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      });

      it("a well-formed signature of the wrong length", async () => {
        const { credential, account } = await server().fixture();
        const body = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.list", body);
        headers.authorization = "KSig1-HMAC-SHA256 AAAA";
        const response = await send(server().url, "/subjectRecord.list", { body, headers });
        assertAuthFailed(response, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      });
    });

    describe("CONTENT_HASH_MISMATCH", () => {
      for (const element of ["Content-SHA256", "Content-MD5"] as const) {
        it(`a body swapped under a valid ${element} signature`, async () => {
          const { credential, account } = await server().fixture();
          const signedBody = JSON.stringify({ account_id: account.id, subject_record: { type: "BUSINESS" } });
          const headers = signedHeaders(credential, "/subjectRecord.create", signedBody, {
            elements: ["API-Key", "HTTP-Verb", "URL-Path", "Timestamp", "Nonce", element],
          });
          const swapped = signedBody.replace("BUSINESS", "PERSON");
          const response = await send(server().url, "/subjectRecord.create", { body: swapped, headers });
          assertAuthFailed(response, "CONTENT_HASH_MISMATCH", AUTH_MESSAGES.CONTENT_HASH_MISMATCH);
          const records = await server().store.listSubjectRecords(account.id, { limit: 10 });
          assert.deepEqual(records.items, []);
        });
      }

      it("whitespace added to the body bytes is a different body", async () => {
        const { credential, account } = await server().fixture();
        const signedBody = JSON.stringify({ account_id: account.id });
        const headers = signedHeaders(credential, "/subjectRecord.list", signedBody);
        const response = await send(server().url, "/subjectRecord.list", { body: `${signedBody} `, headers });
        assertAuthFailed(response, "CONTENT_HASH_MISMATCH", AUTH_MESSAGES.CONTENT_HASH_MISMATCH);
      });
    });

    describe("policies that pass", () => {
      it("strict accepts Content-MD5 instead of Content-SHA256", async () => {
        const { credential, account } = await server().fixture();
        const response = await sendSigned(
          server().url,
          credential,
          "subjectRecord.create",
          { account_id: account.id, subject_record: { type: "BUSINESS" } },
          { elements: ["API-Key", "HTTP-Verb", "URL-Path", "Timestamp", "Nonce", "Content-MD5"] },
        );
        const data = assertSuccess(response) as { subject_record: { account_id: string } };
        assert.equal(data.subject_record.account_id, account.id);
      });

      it("strict accepts API-Version signed as well", async () => {
        const { credential, account } = await server().fixture();
        const response = await sendSigned(
          server().url,
          credential,
          "subjectRecord.list",
          { account_id: account.id },
          {
            elements: [
              "API-Key",
              "HTTP-Verb",
              "URL-Path",
              "Timestamp",
              "Nonce",
              "API-Version",
              "Content-SHA256",
            ],
            version: LATEST_VERSION,
          },
        );
        assertSuccess(response);
      });

      it("compat accepts Kompliant's quick-start request, signature and all", async () => {
        const organization = await server().operator.createOrganization("Quick start");
        const account = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        await server().operator.importCredential({
          organizationId: organization.id,
          environment: "sandbox",
          signaturePolicy: "compat",
          apiKey: QUICK_START.api_key,
          secretKey: QUICK_START.secret_key,
          authToken: QUICK_START.auth_token,
        });
        const response = await send(server().url, "/subjectRecord.create", {
          body: JSON.stringify({ account_id: account.id, subject_record: { type: "BUSINESS" } }),
          headers: {
            "content-type": "application/json",
            authorization: `KSig1-HMAC-SHA256 ${QUICK_START_SIGNATURE}`,
            "x-api-key": QUICK_START.api_key,
            "x-api-auth-token": QUICK_START.auth_token,
          },
        });
        const data = assertSuccess(response) as { subject_record: { account_id: string; type: string } };
        assert.equal(data.subject_record.account_id, account.id);
        assert.equal(data.subject_record.type, "BUSINESS");
      });

      it("compat still checks the signature it is given", async () => {
        const { credential, account } = await server().fixture({ credential: { signaturePolicy: "compat" } });
        const other = await server().fixture();
        const response = await sendSigned(
          server().url,
          { ...credential, secret_key: other.credential.secret_key },
          "subjectRecord.list",
          { account_id: account.id },
          { elements: ["API-Key"] },
        );
        assertAuthFailed(response, "SIGNATURE_MISMATCH", AUTH_MESSAGES.SIGNATURE_MISMATCH);
      });

      it("meta.checkVersion needs no credential headers", async () => {
        const response = await send(server().url, "/meta.checkVersion", {
          body: "{}",
          headers: { "content-type": "application/json" },
        });
        assert.deepEqual(assertSuccess(response), {
          current_version: LATEST_VERSION,
          latest_version: LATEST_VERSION,
        });
        const bare = await send(server().url, "/meta.checkVersion");
        assert.deepEqual(assertSuccess(bare), {
          current_version: LATEST_VERSION,
          latest_version: LATEST_VERSION,
        });
      });
    });
  });
}
