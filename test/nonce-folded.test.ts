/**
 * workflow.create records its nonce inside its own write (one commit instead of two). These
 * tests hold it to the same contract as every other method: a replay is NONCE_REUSED whatever
 * the first request's outcome, and of simultaneous copies exactly one runs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { send, signedHeaders } from "./support/http.js";
import { useTestServer } from "./support/server.js";
import { workflowCountOf } from "./support/workflows.js";

const NONCE_REUSED = [
  { code: "AUTHENTICATION_FAILED", message: "This nonce was already used", sub_code: "NONCE_REUSED" },
];

for (const kind of databaseKinds()) {
  describe(`workflow.create records its nonce in its own transaction [${kind}]`, () => {
    const server = useTestServer(kind);

    const signedCreate = (credential: Parameters<typeof signedHeaders>[0], body: unknown) => {
      const bytes = JSON.stringify(body);
      return { body: bytes, headers: signedHeaders(credential, "/workflow.create", bytes) };
    };

    it("a replay of a successful create is NONCE_REUSED and writes nothing", async () => {
      const { credential, account } = await server().fixture();
      const request = signedCreate(credential, {
        account_id: account.id,
        workflow: { type: "ACCOUNT_PROVISIONING" },
      });
      const first = await send(server().url, "/workflow.create", request);
      const replay = await send(server().url, "/workflow.create", request);
      assert.equal(first.status, 200);
      assert.equal(replay.status, 401);
      assert.deepEqual(replay.json.errors, NONCE_REUSED);
      assert.equal(await workflowCountOf(server(), account.id), 1);
    });

    it("a replay of a request refused by validation, or by a rule, is NONCE_REUSED", async () => {
      const { credential, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      const invalid = signedCreate(credential, { account_id: account.id, workflow: { type: "NOPE" } });
      assert.equal((await send(server().url, "/workflow.create", invalid)).status, 400);
      assert.deepEqual((await send(server().url, "/workflow.create", invalid)).json.errors, NONCE_REUSED);

      const missingDetails = signedCreate(credential, {
        account_id: account.id,
        workflow: { type: "BUSINESS_APPLICATION" },
      });
      assert.equal((await send(server().url, "/workflow.create", missingDetails)).status, 400);
      assert.deepEqual(
        (await send(server().url, "/workflow.create", missingDetails)).json.errors,
        NONCE_REUSED,
      );

      const application = {
        account_id: account.id,
        workflow: {
          type: "BUSINESS_APPLICATION",
          details: { business_application_details: { applying_user: { email: "once@example.com" } } },
        },
      };
      assert.equal(
        (await send(server().url, "/workflow.create", signedCreate(credential, application))).status,
        200,
      );
      const duplicate = signedCreate(credential, application);
      const refused = await send(server().url, "/workflow.create", duplicate);
      assert.equal(refused.json.errors?.[0]?.sub_code, "DUPLICATE_EMAIL");
      assert.deepEqual((await send(server().url, "/workflow.create", duplicate)).json.errors, NONCE_REUSED);
    });

    it("of 10 simultaneous copies of one signed create, exactly one runs", async () => {
      const { credential, account } = await server().fixture();
      const request = signedCreate(credential, {
        account_id: account.id,
        workflow: { type: "ACCOUNT_PROVISIONING" },
      });
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => send(server().url, "/workflow.create", request)),
      );
      assert.equal(responses.filter((r) => r.status === 200).length, 1);
      for (const r of responses.filter((r) => r.status !== 200))
        assert.deepEqual(r.json.errors, NONCE_REUSED);
      assert.equal(await workflowCountOf(server(), account.id), 1);
    });
  });
}
