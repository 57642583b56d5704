/**
 * Issue 16, items 5 and 6, in one process on each database: each request's log line says who,
 * what and how it ended (API key, account, method, status, error code and sub-code, trace ID,
 * latency) and never holds a secret; /metrics counts error responses by code and authentication
 * failures by sub-code, and shows the database's connection load.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { sampleValue } from "./support/metrics-text.js";
import { useTestServer } from "./support/server.js";

interface LogLine {
  msg: string;
  trace_id?: string;
  [field: string]: unknown;
}

for (const kind of databaseKinds()) {
  describe(`request log lines and error metrics [${kind}]`, () => {
    const server = useTestServer(kind);

    function requestLine(traceId: string): LogLine {
      const lines = server()
        .logs.map((text) => JSON.parse(text) as LogLine)
        .filter((line) => line.msg === "request" && line.trace_id === traceId);
      assert.equal(lines.length, 1, `one request line for ${traceId}`);
      return lines[0] as LogLine;
    }

    it("a success, a 401, a 400 and a 403 each log who, what and how it ended, and no secret", async () => {
      const { account, credential, client } = await server().fixture();
      const readOnly = await server().fixture({ credential: { readOnly: true } });
      const wrongToken = server().clientFor({
        ...credential,
        auth_token: `${credential.auth_token.slice(0, -4)}AAAA`,
      });

      const created = await client.call("workflow.create", {
        account_id: account.id,
        workflow: { type: "ACCOUNT_PROVISIONING" },
      });
      assert.ok(created.ok, JSON.stringify(created));
      const refused = await wrongToken.call("workflow.create", {
        account_id: account.id,
        workflow: { type: "ACCOUNT_PROVISIONING" },
      });
      assert.equal(refused.status, 401);
      const malformed = await client.call("workflow.create", {
        account_id: account.id,
        workflow: { type: "NOT_A_TYPE" },
      } as never);
      assert.equal(malformed.status, 400);
      const denied = await readOnly.client.call("workflow.create", {
        account_id: readOnly.account.id,
        workflow: { type: "ACCOUNT_PROVISIONING" },
      });
      assert.equal(denied.status, 403);

      const ok = requestLine(created.meta.trace_id);
      assert.equal(ok.method, "workflow.create");
      assert.equal(ok.http_method, "POST");
      assert.equal(ok.status, 200);
      assert.equal(ok.api_key, credential.api_key);
      assert.equal(ok.account_id, account.id);
      assert.equal(typeof ok.ms, "number");
      assert.equal(ok.error_code, undefined);
      assert.equal(ok.sub_code, undefined);

      const failed = requestLine(refused.meta.trace_id);
      assert.deepEqual(
        [failed.status, failed.error_code, failed.sub_code, failed.api_key, failed.account_id],
        // The API key claimed; the body of a request that failed authentication is never read.
        [401, "AUTHENTICATION_FAILED", "INVALID_CREDENTIALS", credential.api_key, undefined],
      );
      const bad = requestLine(malformed.meta.trace_id);
      assert.deepEqual([bad.status, bad.error_code, bad.api_key], [400, "BAD_REQUEST", credential.api_key]);
      const forbidden = requestLine(denied.meta.trace_id);
      assert.deepEqual(
        [forbidden.status, forbidden.error_code, forbidden.api_key],
        [403, "PERMISSION_DENIED", readOnly.credential.api_key],
      );

      const everything = server().logs.join("");
      for (const secret of [credential.secret_key, credential.auth_token, readOnly.credential.secret_key]) {
        assert.ok(!everything.includes(secret), "no secret key or auth token in the logs");
      }
      assert.ok(!everything.includes(readOnly.credential.auth_token));
    });

    it("an API key header that is not shaped like one is left out of the line", async () => {
      const { credential } = await server().fixture();
      // A client that swapped its headers: the token in X-API-Key must not reach the log.
      const response = await fetch(`${server().url}/workflow.list`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: "KSig1 AAAA",
          "x-api-key": credential.auth_token,
          "x-api-auth-token": credential.api_key,
        },
        body: "{}",
      });
      assert.equal(response.status, 401);
      const line = requestLine(response.headers.get("x-trace-id") ?? "");
      assert.equal(line.api_key, undefined);
      assert.equal(line.error_code, "AUTHENTICATION_FAILED");
      assert.ok(!server().logs.join("").includes(credential.auth_token));
    });

    it("/metrics counts error responses by code and authentication failures by sub-code", async () => {
      const before = await (await fetch(`${server().url}/metrics`)).text();
      const { account, credential } = await server().fixture();
      const wrongToken = server().clientFor({ ...credential, auth_token: `${credential.auth_token}x` });
      for (let i = 0; i < 3; i++) {
        const refused = await wrongToken.call("workflow.create", {
          account_id: account.id,
          workflow: { type: "ACCOUNT_PROVISIONING" },
        });
        assert.equal(refused.status, 401);
      }
      const unknown = await fetch(`${server().url}/no.suchMethod`, { method: "POST" });
      assert.equal(unknown.status, 400);
      const after = await (await fetch(`${server().url}/metrics`)).text();

      const grew = (name: string, labels: Record<string, string>) =>
        (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
      assert.equal(grew("vetted_auth_failures_total", { sub_code: "INVALID_CREDENTIALS" }), 3);
      assert.equal(grew("vetted_error_responses_total", { code: "AUTHENTICATION_FAILED" }), 3);
      assert.equal(
        grew("vetted_error_responses_total", { code: "BAD_REQUEST" }),
        1,
        "a path that is no method too",
      );
      assert.equal(grew("vetted_requests_total", { method: "workflow.create", code: "401" }), 3);

      if (kind === "postgres") {
        const total = sampleValue(after, "vetted_db_pool_connections", { state: "total" });
        assert.ok(total !== undefined && total >= 1, "the pool has its connections");
        assert.notEqual(sampleValue(after, "vetted_db_pool_connections", { state: "waiting" }), undefined);
        assert.equal(sampleValue(after, "vetted_sqlite_writer_queue"), undefined);
      } else {
        assert.equal(
          sampleValue(after, "vetted_sqlite_writer_queue"),
          0,
          "nothing left in the writer's queue",
        );
        assert.equal(sampleValue(after, "vetted_db_pool_connections", { state: "total" }), undefined);
      }
    });
  });
}
