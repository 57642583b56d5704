/**
 * Bad requests that are not about one field (wire.md): unreadable or non-object bodies, empty
 * bodies, media types, size, unknown paths and verbs, unsupported versions. Each answer is the
 * error envelope with the right status, and nothing is written.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { describe, it } from "node:test";
import { LATEST_VERSION } from "../src/domain/versions.js";
import { sharedFixture, writtenState } from "./support/bad-input-runner.js";
import { expected } from "./support/bad-request.js";
import { databaseKinds } from "./support/databases.js";
import { assertError, assertSuccess, send, signedHeaders } from "./support/http.js";
import { useTestServer } from "./support/server.js";

const NOT_JSON = "Request body is not valid JSON";
const NOT_OBJECT = "Request body must be a JSON object";
const UNSUPPORTED_MEDIA_TYPE = {
  code: "UNSUPPORTED_MEDIA_TYPE" as const,
  message: "Content-Type must be application/json",
};
const TOO_LARGE = {
  code: "PAYLOAD_TOO_LARGE" as const,
  message: "Request body is larger than the server accepts",
};
const AUTHENTICATED = [
  "subjectRecord.create",
  "subjectRecord.get",
  "subjectRecord.list",
  "workflow.create",
  "workflow.get",
  "workflow.list",
];

/** Sends a chunked body (no Content-Length), which fetch cannot do without a stream. */
function sendChunked(baseUrl: string, target: string, chunks: string[], headers: Record<string, string>) {
  return new Promise<{ status: number; json: { errors?: unknown[] } }>((resolve, reject) => {
    const request = http.request(`${baseUrl}${target}`, { method: "POST", headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
    });
    // The server may answer and close before the whole body is written.
    request.on("error", reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

for (const kind of databaseKinds()) {
  describe(`bad input: generic [${kind}]`, () => {
    const server = useTestServer(kind);
    const fixture = sharedFixture(server);

    /** Sends raw bytes to a method, correctly signed when the method needs it. */
    async function sendBytes(method: string, body: string, extraHeaders: Record<string, string> = {}) {
      const { credential } = await fixture();
      const target = `/${method}`;
      const headers =
        method === "meta.checkVersion"
          ? { "content-type": "application/json" }
          : signedHeaders(credential, target, body);
      return send(server().url, target, { body, headers: { ...headers, ...extraHeaders } });
    }

    it("unreadable JSON and non-object bodies are BAD_REQUEST with field null, on every method", async () => {
      const f = await fixture();
      const before = await writtenState(server(), f);
      const bodies: [string, string][] = [
        ["{", NOT_JSON],
        ['{"account_id": "sb_1",}', NOT_JSON],
        ["{'account_id': 'sb_1'}", NOT_JSON],
        ['{"a":1}{"b":2}', NOT_JSON],
        ["\ufeff{}", NOT_JSON],
        ["[]", NOT_OBJECT],
        ['[{"account_id":"sb_1"}]', NOT_OBJECT],
        ['"a string"', NOT_OBJECT],
        ["null", NOT_OBJECT],
        ["42", NOT_OBJECT],
        ["true", NOT_OBJECT],
      ];
      for (const method of ["meta.checkVersion", ...AUTHENTICATED]) {
        for (const [body, message] of bodies) {
          const response = await sendBytes(method, body);
          try {
            assertError(response, 400, [expected.body(message)]);
          } catch (error) {
            throw new Error(`${method} ${JSON.stringify(body)}: ${(error as Error).message}`);
          }
        }
      }
      assert.deepEqual(await writtenState(server(), f), before);
    });

    it("an empty body is {} only for meta.checkVersion; methods with required fields refuse it", async () => {
      for (const method of AUTHENTICATED) {
        assertError(await sendBytes(method, ""), 400, [expected.body("Request body is required")]);
      }
      const checked = await sendBytes("meta.checkVersion", "");
      assert.deepEqual(assertSuccess(checked), {
        current_version: LATEST_VERSION,
        latest_version: LATEST_VERSION,
      });
    });

    it("a Content-Type other than JSON is 415 UNSUPPORTED_MEDIA_TYPE", async () => {
      const f = await fixture();
      const body = JSON.stringify({ account_id: f.account.id, subject_record: { type: "BUSINESS" } });
      for (const contentType of [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonx",
        "application/json-patch+json",
        "multipart/form-data; boundary=x",
      ]) {
        const headers = {
          ...signedHeaders(f.credential, "/subjectRecord.create", body),
          "content-type": contentType,
        };
        const response = await send(server().url, "/subjectRecord.create", { body, headers });
        assertError(response, 415, [UNSUPPORTED_MEDIA_TYPE]);
      }
      // No Content-Type at all, with a body.
      const bare = await send(server().url, "/meta.checkVersion", {
        body: Buffer.from("{}"),
      });
      assertError(bare, 415, [UNSUPPORTED_MEDIA_TYPE]);
      assert.deepEqual(await writtenState(server(), f), { records: [], events: [] });
    });

    it("JSON with parameters or in another case is accepted", async () => {
      for (const contentType of ["application/json; charset=utf-8", "Application/JSON"]) {
        const response = await sendBytes("meta.checkVersion", "{}", { "content-type": contentType });
        assertSuccess(response);
      }
    });

    it("an unknown method path, a wrong case or a non-POST verb is 400 BAD_REQUEST", async () => {
      const cases: [string, string][] = [
        ["POST", "/workflow.archive"],
        ["POST", "/Workflow.create"],
        ["POST", "/workflow/create"],
        ["POST", "/"],
        ["GET", "/subjectRecord.get"],
        ["GET", "/meta.checkVersion"],
        ["PUT", "/workflow.create"],
        ["DELETE", "/subjectRecord.create"],
        ["PATCH", "/workflow.get"],
      ];
      for (const [method, path] of cases) {
        const response = await send(server().url, `${path}?q=1`, { method });
        assertError(response, 400, [
          expected.body(`Unknown method: ${method} ${path}. Methods are POST /<method.name>.`),
        ]);
      }
    });

    it("an unsupported X-API-Version is BAD_REQUEST on field X-API-Version; the supported one is echoed", async () => {
      const message = `X-API-Version must be one of: ${LATEST_VERSION}`;
      // (Surrounding whitespace is not a case: HTTP strips it from header values before the server sees them.)
      for (const version of ["2024-01-01", "2025-3-24", "latest", "", "2025-03-24,2025-03-24"]) {
        for (const method of ["meta.checkVersion", "subjectRecord.list"]) {
          const f = await fixture();
          const response = await sendBytes(method, JSON.stringify({ account_id: f.account.id }), {
            "x-api-version": version,
          });
          try {
            assertError(response, 400, [expected.other("X-API-Version", message)]);
          } catch (error) {
            throw new Error(`${method} ${JSON.stringify(version)}: ${(error as Error).message}`);
          }
        }
      }
      const ok = await sendBytes("meta.checkVersion", "{}", { "x-api-version": LATEST_VERSION });
      assert.equal(ok.json.meta.version, LATEST_VERSION);
      assertSuccess(ok);
    });

    describe("with a 2048-byte body limit", () => {
      const small = useTestServer(kind, { config: { bodyLimit: 2048 } });

      it("a larger body is 413 PAYLOAD_TOO_LARGE, signed or not, and writes nothing", async () => {
        const f = await small().fixture();
        const body = JSON.stringify({
          account_id: f.account.id,
          subject_record: { type: "BUSINESS" },
          pad: "x".repeat(2100),
        });
        const signed = await send(small().url, "/subjectRecord.create", {
          body,
          headers: signedHeaders(f.credential, "/subjectRecord.create", body),
        });
        assertError(signed, 413, [TOO_LARGE]);
        const unsigned = await send(small().url, "/meta.checkVersion", {
          body,
          headers: { "content-type": "application/json" },
        });
        assertError(unsigned, 413, [TOO_LARGE]);
        const chunked = await sendChunked(
          small().url,
          "/meta.checkVersion",
          ["{", `"pad":"${"x".repeat(1500)}`, `${"y".repeat(1500)}"}`],
          {
            "content-type": "application/json",
          },
        );
        assert.equal(chunked.status, 413);
        assert.deepEqual(chunked.json.errors, [TOO_LARGE]);
        const records = await small().store.listSubjectRecords(f.account.id, { limit: 10 });
        assert.deepEqual(records.items, []);
      });

      it("a body of exactly the limit is read (and judged on its content)", async () => {
        const f = await small().fixture();
        const base = JSON.stringify({ account_id: f.account.id, cursor: "" });
        // Pad the cursor so the whole body is exactly 2048 bytes; it fails validation, not size.
        const body = base.replace('"cursor":""', `"cursor":"${"c".repeat(2048 - base.length)}"`);
        assert.equal(Buffer.byteLength(body), 2048);
        const response = await send(small().url, "/subjectRecord.list", {
          body,
          headers: signedHeaders(f.credential, "/subjectRecord.list", body),
        });
        assertError(response, 400, [expected.maxLength("cursor", 512)]);
      });
    });
  });
}
