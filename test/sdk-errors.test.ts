/**
 * The SDK's typed errors (issue 16, item 3): `call` answers the envelope's errors as they came,
 * with the trace ID; `request` throws VettedApiError whose code, sub_code, entity_type, field,
 * status and trace_id are the envelope's (the first error's fields, every error in `errors`).
 * The envelope itself is read from the same response by the client's fetch, so each assertion
 * compares the SDK's view with what the server sent.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type ClientOptions,
  createClient,
  type ErrorCode,
  VettedApiError,
  type VettedClient,
  type WireError,
} from "@vetted/client";
import { databaseKinds } from "./support/databases.js";
import { type FaultProxy, startFaultProxy } from "./support/fault-proxy.js";
import { type Fixture, useTestServer } from "./support/server.js";
import { createProvisioning } from "./support/workflows.js";

interface RawAnswer {
  status: number;
  traceHeader: string | null;
  envelope: { meta: { status: string; trace_id: string }; errors: WireError[] };
}

for (const kind of databaseKinds()) {
  describe(`SDK typed errors [${kind}]`, () => {
    const server = useTestServer(kind);
    let fixture: Fixture;
    let last: RawAnswer | undefined;

    function clientWith(overrides: Partial<ClientOptions> = {}): VettedClient {
      const { credential } = fixture;
      return createClient({
        baseUrl: server().url,
        apiKey: credential.api_key,
        secretKey: credential.secret_key,
        authToken: credential.auth_token,
        ...overrides,
        async fetch(input, init) {
          const response = await fetch(input, init);
          last = {
            status: response.status,
            traceHeader: response.headers.get("x-trace-id"),
            envelope: await response.clone().json(),
          };
          return response;
        },
      });
    }

    /** Runs `request`, expects it to throw, and checks the error against the raw envelope. */
    async function refusal(
      run: (client: VettedClient) => Promise<unknown>,
      overrides?: Partial<ClientOptions>,
    ) {
      let thrown: unknown;
      try {
        await run(clientWith(overrides));
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof VettedApiError, `expected VettedApiError, got ${String(thrown)}`);
      assert.ok(last);
      const first = last.envelope.errors[0];
      assert.ok(first);
      assert.equal(thrown.status, last.status);
      assert.equal(thrown.trace_id, last.envelope.meta.trace_id);
      assert.match(thrown.trace_id, /^trc_/);
      assert.equal(thrown.code, first.code);
      assert.equal(thrown.sub_code, first.sub_code);
      assert.equal(thrown.entity_type, first.entity_type);
      assert.equal(thrown.field, first.field);
      assert.deepEqual(thrown.errors, last.envelope.errors);
      assert.ok(thrown.message.includes(first.code));
      return thrown;
    }

    before(async () => {
      fixture = await server().fixture();
    });

    it("call: the errors exactly as sent, with the status and the trace ID", async () => {
      const result = await clientWith().call("workflow.get", { workflow_id: "w_doesnotexist" });
      assert.ok(!result.ok);
      assert.ok(last);
      assert.equal(result.status, last.status);
      assert.deepEqual(result.errors, last.envelope.errors);
      assert.equal(result.trace_id, last.envelope.meta.trace_id);
      assert.equal(result.trace_id, last.traceHeader);
      assert.equal(result.errors[0]?.code, "ENTITY_NOT_FOUND");
    });

    it("request: BAD_REQUEST on its field", async () => {
      const error = await refusal((client) =>
        client.request("workflow.create", {
          account_id: fixture.account.id,
          workflow: { type: "NOT_A_TYPE" },
        } as never),
      );
      assert.equal(error.code, "BAD_REQUEST");
      assert.equal(error.status, 400);
      assert.ok(typeof error.field === "string" && error.field.length > 0);
    });

    it("request: AUTHENTICATION_FAILED with its sub_code", async () => {
      const error = await refusal(
        (client) => client.request("subjectRecord.list", { account_id: fixture.account.id }),
        {
          secretKey: Buffer.alloc(32, 9).toString("base64"),
        },
      );
      assert.equal(error.code, "AUTHENTICATION_FAILED");
      assert.equal(error.sub_code, "SIGNATURE_MISMATCH");
      assert.equal(error.status, 401);
    });

    it("request: SYSTEM_RULE_VIOLATION with entity_type and sub_code", async () => {
      const workflow = await createProvisioning(fixture.client, fixture.account.id, { state: "CREATED" });
      await clientWith().request("workflow.start", { workflow_id: workflow.workflow_id });
      const error = await refusal((client) =>
        client.request("workflow.start", { workflow_id: workflow.workflow_id }),
      );
      assert.equal(error.code, "SYSTEM_RULE_VIOLATION");
      assert.equal(error.entity_type, "Workflow");
      assert.equal(error.sub_code, "WORKFLOW_STARTED");
    });

    it("request: the data of a success", async () => {
      const data = await clientWith().request("subjectRecord.list", { account_id: fixture.account.id });
      assert.ok(Array.isArray(data.subject_records));
    });

    it("codes are the catalog's union, checked by the compiler", () => {
      const check = (error: WireError): ErrorCode => {
        // @ts-expect-error: not a code of the catalog, so the comparison cannot be true
        assert.notEqual(error.code, "NOT_A_CATALOG_CODE" as const satisfies typeof error.code);
        return error.code;
      };
      assert.equal(check({ code: "RATE_LIMITED", message: "m" }), "RATE_LIMITED");
    });
  });
}

describe("SDK errors from something that is not the API", () => {
  let proxy: FaultProxy;
  before(async () => {
    // Nothing listens behind it: every request the plan does not answer is dropped.
    proxy = await startFaultProxy("http://127.0.0.1:9");
  });
  after(async () => {
    await proxy.close();
  });

  it("an answer without the envelope is an error result coded by its status, never a parse exception", async () => {
    proxy.plan([
      { kind: "answer", status: 502, headers: { "content-type": "text/html" }, body: "<h1>Bad gateway</h1>" },
    ]);
    const client = createClient({ baseUrl: proxy.url, apiKey: "k", secretKey: "AAAA", authToken: "t" });
    const result = await client.call("meta.checkVersion", {});
    assert.ok(!result.ok);
    assert.equal(result.status, 502);
    assert.equal(result.errors[0]?.code, "INTERNAL_ERROR");
    assert.match(result.errors[0]?.message ?? "", /HTTP 502 without the API's envelope: <h1>Bad gateway/);
  });
});
