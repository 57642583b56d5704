/**
 * A database error is logged by type, code and message only. PostgreSQL's errors carry `detail`
 * and `where` that may quote the value being written — the applicant's name inside the JSON a
 * batched create sends, a bind parameter's position — and the log must never hold request data.
 * The error is a real one: a test-only method runs workflow.create's own handler with a NUL slipped
 * into the first name after validation, which PostgreSQL refuses in its batch statement (22P05,
 * quoting the JSON) and again when the create runs alone (22021, naming the parameter).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { loggedError } from "../src/http/error-handling.js";
import { defineMethod } from "../src/methods/define.js";
import { METHODS } from "../src/methods/index.js";
import { workflowCreate } from "../src/methods/workflow.create.js";
import { databaseKinds } from "./support/databases.js";
import { assertError, sendSigned } from "./support/http.js";
import { useTestServer } from "./support/server.js";

type CreateBody = Parameters<typeof workflowCreate.handler>[1];

/** workflow.create, with a NUL added to the first name after validation passed. */
const createUnchecked = defineMethod({
  ...workflowCreate,
  name: "test.createUnchecked",
  handler: (context, body: CreateBody) => {
    const user = body.workflow.details?.business_application_details?.applying_user;
    if (user) user.first_name = `${user.first_name}\u0000`;
    return workflowCreate.handler(context, body);
  },
});

describe("loggedError", () => {
  it("keeps type, code, message and stack, and drops a pg error's detail, where, hint and the rest", () => {
    const error = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      detail: "Key (email)=(secret@example.com) already exists.",
      where: "JSON data, line 1: secret",
      hint: "secret",
      parameters: ["secret"],
      query: "insert … secret",
      cause: Object.assign(new Error("inner"), { detail: "secret" }),
    });
    const logged = JSON.stringify(loggedError(error));
    assert.doesNotMatch(logged, /secret/);
    assert.deepEqual(Object.keys(loggedError(error) as object).sort(), [
      "cause",
      "code",
      "message",
      "stack",
      "type",
    ]);
    assert.match(logged, /23505/);
    assert.match(logged, /duplicate key value/);
  });
  it("passes anything that is not an Error through", () => {
    assert.equal(loggedError("text"), "text");
  });
});

for (const kind of databaseKinds().filter((k) => k === "postgres")) {
  describe(`database errors in the log [${kind}]`, () => {
    const server = useTestServer(kind, { methods: [...METHODS, createUnchecked] });

    it("a refused write answers INTERNAL_ERROR and logs its code, never the applicant's data", async () => {
      const { account, credential } = await server().fixture();
      const marker = `Secret${randomBytes(6).toString("hex")}`;
      const body = {
        account_id: account.id,
        workflow: {
          type: "BUSINESS_APPLICATION",
          details: {
            business_application_details: {
              applying_user: { email: `${marker.toLowerCase()}@example.com`, first_name: marker },
            },
          },
        },
      };
      const response = await sendSigned(server().url, credential, "test.createUnchecked", body);
      const traceId = response.headers.get("x-trace-id");
      assertError(response, 500, [
        { code: "INTERNAL_ERROR", message: `Internal error; quote trace ID ${traceId} when reporting it` },
      ]);
      const lines = server().logs.filter((line) => line.includes(traceId ?? "no trace"));
      const logged = lines.find((line) => line.includes("unexpected error"));
      assert.ok(logged, `no error line for ${traceId}: ${lines.join("")}`);
      // The database's own error, by its SQLSTATE (22021: character not in repertoire) and message.
      assert.match(logged, /"code":"22021"/);
      assert.match(logged, /"message":"invalid byte sequence for encoding \\"UTF8\\": 0x00"/);
      for (const line of server().logs) {
        assert.doesNotMatch(line, new RegExp(marker, "i"));
        assert.doesNotMatch(line, /"(detail|where|hint|parameters)"/);
      }
    });
  });
}
