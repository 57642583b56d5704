import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { startSecondApp, useTestServer } from "./support/server.js";
import { queryRows } from "./support/sql.js";
import { expectOk, workflowCountOf } from "./support/workflows.js";

const application = (email: string) => ({
  type: "BUSINESS_APPLICATION" as const,
  details: { business_application_details: { applying_user: { email } } },
});

for (const kind of databaseKinds()) {
  describe(`Idempotency-Key [${kind}]`, () => {
    const server = useTestServer(kind);
    const idempotencyRowsOf = async (apiKey: string) =>
      (
        await queryRows(
          server().database,
          "select idempotency_key from idempotency_keys where api_key = $1",
          [apiKey],
        )
      ).length;

    it("replays the stored response for the same key, method and body, and writes nothing more", async () => {
      const { client, account } = await server().fixture();
      const headers = { "idempotency-key": "create-ann-1" };
      const body = { account_id: account.id, workflow: application("ann@example.com") };
      const first = await client.call("workflow.create", body, { headers });
      assert.ok(first.ok);
      const again = await client.call("workflow.create", body, { headers });
      assert.ok(again.ok);
      assert.deepEqual(again.data, first.data);
      assert.deepEqual(again.meta, first.meta);
      assert.equal(again.headers.get("x-trace-id"), first.meta.trace_id);
      assert.equal(again.headers.get("idempotent-replayed"), "true");
      assert.equal(await workflowCountOf(server(), account.id), 1);
    });

    it("replays an error response too (4xx is a complete response)", async () => {
      const { client } = await server().fixture();
      const headers = { "idempotency-key": "missing-wf" };
      const first = await client.call("workflow.start", { workflow_id: "w_doesnotexist" }, { headers });
      const again = await client.call("workflow.start", { workflow_id: "w_doesnotexist" }, { headers });
      assert.ok(!first.ok && !again.ok);
      assert.deepEqual(again.errors, first.errors);
      assert.equal(again.meta.trace_id, first.meta.trace_id);
    });

    it("refuses the same key with a different body or method", async () => {
      const { client, account } = await server().fixture();
      const headers = { "idempotency-key": "k-reused" };
      const first = await client.call(
        "subjectRecord.create",
        {
          account_id: account.id,
          subject_record: { type: "BUSINESS" },
        },
        { headers },
      );
      assert.ok(first.ok);
      const otherBody = await client.call(
        "subjectRecord.create",
        {
          account_id: account.id,
          subject_record: { type: "PERSON" },
        },
        { headers },
      );
      const otherMethod = await client.call(
        "workflow.create",
        { account_id: account.id, workflow: { type: "ACCOUNT_PROVISIONING" } },
        { headers },
      );
      const reused = {
        code: "IDEMPOTENCY_KEY_REUSED",
        message: "This Idempotency-Key was used with a different method or body",
      };
      assert.ok(!otherBody.ok && !otherMethod.ok);
      assert.equal(otherBody.status, 400);
      assert.deepEqual(otherBody.errors, [reused]);
      assert.deepEqual(otherMethod.errors, [reused]);
      assert.equal((await server().store.listSubjectRecords(account.id, { limit: 10 })).items.length, 1);
    });

    it("keys are per credential", async () => {
      const { client, account, organization } = await server().fixture();
      const other = await server().operator.createCredential({
        organizationId: organization.id,
        environment: "sandbox",
      });
      const otherClient = server().clientFor(other);
      const headers = { "idempotency-key": "shared-key" };
      const body = { account_id: account.id, subject_record: { type: "BUSINESS" as const } };
      const a = await client.call("subjectRecord.create", body, { headers });
      const b = await otherClient.call("subjectRecord.create", body, { headers });
      assert.ok(a.ok && b.ok);
      assert.notEqual(a.data.subject_record.subject_record_id, b.data.subject_record.subject_record_id);
    });

    it("of simultaneous duplicates exactly one writes; the rest replay or are told it is in use", async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: true });
      const headers = { "idempotency-key": "burst" };
      const body = { account_id: account.id, workflow: application("burst@example.com") };
      const results = await Promise.all(
        Array.from({ length: 10 }, () => client.call("workflow.create", body, { headers })),
      );
      const ok = results.filter((r) => r.ok);
      const inUse = results.filter((r) => !r.ok);
      assert.ok(ok.length >= 1);
      const ids = new Set(ok.map((r) => (r.ok ? r.data.workflow.workflow_id : "")));
      assert.equal(ids.size, 1, "every success carries the same workflow");
      for (const r of inUse) {
        assert.ok(!r.ok);
        assert.equal(r.status, 409);
        assert.equal(r.errors[0]?.code, "IDEMPOTENCY_KEY_IN_USE");
        assert.equal(r.headers.get("retry-after"), "1");
      }
      assert.equal(await workflowCountOf(server(), account.id), 1);
    });

    it("rejects a malformed key on a write", async () => {
      const { client } = await server().fixture();
      const r = await client.call("meta.checkVersion", {}, { headers: {} });
      assert.ok(r.ok);
      const bad = await client.call(
        "workflow.start",
        { workflow_id: "w_x" },
        { headers: { "idempotency-key": "x".repeat(256) } },
      );
      assert.ok(!bad.ok);
      assert.deepEqual(bad.errors, [
        {
          code: "BAD_REQUEST",
          message: "Idempotency-Key must be 1–255 printable ASCII characters",
          field: "Idempotency-Key",
        },
      ]);
    });

    it("on reads the key is accepted and ignored: nothing is stored, nothing is refused", async () => {
      const { client, account, credential } = await server().fixture();
      const workflow = expectOk(
        await client.call("workflow.create", {
          account_id: account.id,
          workflow: { type: "ACCOUNT_PROVISIONING" },
        }),
      ).workflow;
      type Headers = Record<string, string>;
      const reads = [
        (headers: Headers) =>
          client.call("subjectRecord.list", { account_id: account.id, limit: 1000 }, { headers }),
        (headers: Headers) => client.call("workflow.get", { workflow_id: workflow.workflow_id }, { headers }),
        (headers: Headers) =>
          client.call("workflow.list", { subject_record_id: workflow.subject_record_id }, { headers }),
        (headers: Headers) =>
          client.call("workflow.canComplete", { workflow_id: workflow.workflow_id }, { headers }),
        (headers: Headers) => client.call("workflow.get", { workflow_id: "w_doesnotexist" }, { headers }),
      ];
      const statusesWithoutKey = [];
      for (const read of reads) statusesWithoutKey.push((await read({})).status);
      // The disk-filling pattern: every read again and again, each time with a new key.
      for (let round = 0; round < 4; round++) {
        for (const [i, read] of reads.entries()) {
          const answer = await read({ "idempotency-key": `read-${round}-${i}` });
          assert.equal(answer.status, statusesWithoutKey[i]);
        }
      }
      // One key across different reads and bodies, and a malformed key: neither is refused.
      for (const key of ["one-key-for-every-read", "x".repeat(256)]) {
        for (const [i, read] of reads.entries()) {
          const answer = await read({ "idempotency-key": key });
          assert.equal(answer.status, statusesWithoutKey[i]);
          assert.equal(answer.headers.get("idempotent-replayed"), null);
        }
      }
      assert.equal(await idempotencyRowsOf(credential.api_key), 0);

      // A write still claims its key and replays.
      const headers = { "idempotency-key": "a-write" };
      const body = { account_id: account.id, subject_record: { type: "BUSINESS" as const } };
      const first = expectOk(await client.call("subjectRecord.create", body, { headers }));
      const replay = await client.call("subjectRecord.create", body, { headers });
      assert.equal(replay.headers.get("idempotent-replayed"), "true");
      assert.deepEqual(expectOk(replay), first);
      assert.equal(await idempotencyRowsOf(credential.api_key), 1);
    });

    it("a key expires after 24 hours and is purged", async () => {
      // A compat credential signs no timestamp, so the server clock can move a day ahead.
      const { client, account } = await server().fixture({ credential: { signaturePolicy: "compat" } });
      const headers = { "idempotency-key": "old-key" };
      const first = await client.call(
        "subjectRecord.create",
        {
          account_id: account.id,
          subject_record: { type: "BUSINESS" },
        },
        { headers },
      );
      assert.ok(first.ok);
      server().clock.offsetMs = 25 * 60 * 60 * 1000;
      try {
        const later = await client.call(
          "subjectRecord.create",
          {
            account_id: account.id,
            subject_record: { type: "PERSON" },
          },
          { headers },
        );
        assert.ok(later.ok, "an expired key is free again");
        const nowMs = server().clock.now().getTime();
        const purged = await server().store.purgeExpired(
          new Date(nowMs).toISOString(),
          new Date(nowMs + 1).toISOString(),
          1000,
        );
        assert.ok(purged >= 1);
      } finally {
        server().clock.offsetMs = 0;
      }
    });

    it("holds across server processes sharing one database", async () => {
      const { client, account, credential } = await server().fixture();
      const second = await startSecondApp(server());
      try {
        const headers = { "idempotency-key": "two-processes" };
        const body = { account_id: account.id, workflow: application("two@example.com") };
        const first = await client.call("workflow.create", body, { headers });
        const viaSecond = await server().clientFor(credential).call("workflow.create", body, { headers });
        assert.ok(first.ok);
        const other = second.clientFor(credential);
        const replayed = await other.call("workflow.create", body, { headers });
        assert.ok(viaSecond.ok && replayed.ok);
        assert.deepEqual(replayed.data, first.data);
        assert.equal(await workflowCountOf(server(), account.id), 1);
      } finally {
        await second.stop();
      }
    });
  });
}
