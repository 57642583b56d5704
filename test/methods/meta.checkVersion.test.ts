/**
 * meta.checkVersion: the version a request was served under and the latest; a body with
 * parameters or an unsupported X-API-Version is BAD_REQUEST; it needs no credential, and the
 * credential headers a caller sends anyway are not checked.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LATEST_VERSION, SUPPORTED_VERSIONS } from "../../src/domain/versions.js";
import { databaseKinds } from "../support/databases.js";
import { assertBadRequest, assertSuccess, send, sendSigned } from "../support/http.js";
import { useTestServer } from "../support/server.js";

const JSON_TYPE = { "content-type": "application/json" };
const LATEST = { current_version: LATEST_VERSION, latest_version: LATEST_VERSION };

for (const kind of databaseKinds()) {
  describe(`meta.checkVersion [${kind}]`, () => {
    const server = useTestServer(kind);
    const check = (headers: Record<string, string> = {}, body = "{}") =>
      send(server().url, "/meta.checkVersion", { body, headers: { ...JSON_TYPE, ...headers } });

    describe("success", () => {
      it("answers the latest version when no X-API-Version is sent", async () => {
        const response = await check();
        assert.deepEqual(assertSuccess(response), LATEST);
        assert.equal(response.json.meta.version, LATEST_VERSION);
      });

      it("answers each supported X-API-Version as the current one", async () => {
        for (const version of SUPPORTED_VERSIONS) {
          const response = await check({ "x-api-version": version });
          assert.deepEqual(assertSuccess(response), {
            current_version: version,
            latest_version: LATEST_VERSION,
          });
          assert.equal(response.json.meta.version, version);
        }
      });
    });

    describe("errors", () => {
      it("refuses a body with a parameter", async () => {
        assertBadRequest(await check({}, '{"verbose":true}'), "verbose", "verbose is not a known field");
      });

      it("refuses an unsupported X-API-Version on field X-API-Version", async () => {
        assertBadRequest(
          await check({ "x-api-version": "2024-01-01" }),
          "X-API-Version",
          `X-API-Version must be one of: ${SUPPORTED_VERSIONS.join(", ")}`,
        );
      });
    });

    describe("authorization", () => {
      it("needs no credential headers at all", async () => {
        assert.deepEqual(assertSuccess(await check()), LATEST);
      });

      it("does not check credential headers a caller sends anyway, valid or not", async () => {
        const { credential } = await server().fixture({ credential: { readOnly: true } });
        assert.deepEqual(
          assertSuccess(await sendSigned(server().url, credential, "meta.checkVersion", {})),
          LATEST,
        );
        const garbage = {
          authorization: "KSig1-HMAC-SHA256 bm90LWEtc2lnbmF0dXJl",
          "x-api-key": "not-a-key",
          "x-api-auth-token": "not-a-token",
        };
        assert.deepEqual(assertSuccess(await check(garbage)), LATEST);
      });
    });
  });
}
