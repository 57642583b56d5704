/**
 * A write whose unit of work committed but whose response was lost is never written twice: the
 * unit commits its value with the Idempotency-Key claim, in the same transaction as its effects,
 * and a retry is answered from that value under the first request's trace ID. The loss is real: a
 * test-only method runs workflow.create's own handler and then fails once, after the commit — as
 * a crash or a bug between the commit and the response would (before, the 500 released the claim
 * and the retry created a second workflow).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../src/domain/ids.js";
import { defineMethod } from "../src/methods/define.js";
import { METHODS } from "../src/methods/index.js";
import { workflowCreate } from "../src/methods/workflow.create.js";
import { databaseKinds } from "./support/databases.js";
import { send, signedHeaders } from "./support/http.js";
import { useTestServer } from "./support/server.js";
import { queryRows } from "./support/sql.js";

type CreateBody = Parameters<typeof workflowCreate.handler>[1];

let failAfterCommit = false;

/** workflow.create, failing once after its unit of work committed when told to. */
const createThenFail = defineMethod({
  ...workflowCreate,
  name: "test.createThenFail",
  async handler(context, body: CreateBody) {
    const data = await workflowCreate.handler(context, body);
    if (failAfterCommit) {
      failAfterCommit = false;
      throw new Error("the response was lost after the commit");
    }
    return data;
  },
});

for (const kind of databaseKinds()) {
  describe(`Idempotency-Key after a lost response [${kind}]`, () => {
    const server = useTestServer(kind, { methods: [...METHODS, createThenFail] });

    it("a retry is answered from the committed result, under the first trace ID, and writes nothing", async () => {
      const { account, credential } = await server().fixture();
      const bytes = JSON.stringify({ account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } });
      const call = () =>
        send(server().url, "/test.createThenFail", {
          body: bytes,
          headers: {
            ...signedHeaders(credential, "/test.createThenFail", bytes),
            "idempotency-key": "lost-response-1",
          },
        });
      const workflowsOf = async () =>
        (
          await queryRows<{ id: string }>(
            server().database,
            "select id from workflows where account_id = $1",
            [account.id],
          )
        ).map((row) => row.id);

      failAfterCommit = true;
      const lost = await call();
      assert.equal(lost.status, 500, JSON.stringify(lost.json));
      const written = await workflowsOf();
      assert.equal(written.length, 1, "the unit committed before the failure");
      const [state] = await queryRows<{ state: string }>(
        server().database,
        "select state from idempotency_keys where idempotency_key = $1",
        ["lost-response-1"],
      );
      assert.equal(state?.state, "committed", "a 5xx after the commit keeps the committed claim");

      const retry = await call();
      assert.equal(retry.status, 200, JSON.stringify(retry.json));
      assert.equal(retry.headers.get("idempotent-replayed"), "true");
      const meta = retry.json.meta;
      assert.equal(
        meta.trace_id,
        lost.headers.get("x-trace-id"),
        "answered under the first request's trace ID",
      );
      assert.equal(retry.headers.get("x-trace-id"), meta.trace_id);
      const workflow = retry.json.data?.workflow as { workflow_id: string } | undefined;
      assert.deepEqual([workflow?.workflow_id], written, "the committed workflow, not a new one");
      assert.deepEqual(await workflowsOf(), written, "nothing more was written");

      // That answer is now the stored response: a third call replays it byte for byte.
      const third = await call();
      assert.equal(third.status, 200);
      assert.deepEqual(third.json, retry.json);
      assert.deepEqual(await workflowsOf(), written);
    });

    it("a unit refused by a rule commits no result: its error is the stored response", async () => {
      const { account, credential } = await server().fixture();
      const bytes = JSON.stringify({
        account_id: account.id,
        workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: newId("subjectRecord") },
      });
      const call = () =>
        send(server().url, "/workflow.create", {
          body: bytes,
          headers: {
            ...signedHeaders(credential, "/workflow.create", bytes),
            "idempotency-key": "refused-1",
          },
        });
      const first = await call();
      assert.equal(first.json.errors?.[0]?.code, "ENTITY_NOT_FOUND", JSON.stringify(first.json));
      const [row] = await queryRows<{ state: string; result: string | null }>(
        server().database,
        "select state, result from idempotency_keys where idempotency_key = $1",
        ["refused-1"],
      );
      assert.deepEqual({ ...row }, { state: "done", result: null });
      const again = await call();
      assert.deepEqual(again.json, first.json);
      assert.equal(again.headers.get("idempotent-replayed"), "true");
    });
  });
}
