/** subjectRecord.create: a new record in an account; a bad type or unknown account; who may create where. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { ERRORS, expectErrors, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`subjectRecord.create [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("creates, gets and lists subject records", async () => {
        const { client, account } = await server().fixture();
        const created = await client.call("subjectRecord.create", {
          account_id: account.id,
          subject_record: { type: "BUSINESS" },
        });
        assert.ok(created.ok, JSON.stringify(created));
        const record = created.data.subject_record;
        assert.match(record.subject_record_id, /^sr_[0-9A-Za-z]{21,22}$/);
        assert.equal(record.subject_record_type, "BUSINESS");
        assert.equal(record.type, "BUSINESS");
        assert.equal(record.account_id, account.id);
        assert.equal(record.created_at, record.updated_at);
        assert.match(created.meta.trace_id, /^trc_/);
        assert.equal(created.headers.get("x-trace-id"), created.meta.trace_id);

        const got = await client.call("subjectRecord.get", { subject_record_id: record.subject_record_id });
        assert.ok(got.ok);
        assert.deepEqual(got.data.subject_record, record);

        const verbose = await client.call("subjectRecord.get", {
          subject_record_id: record.subject_record_id,
          verbose: true,
        });
        assert.ok(verbose.ok);
        assert.deepEqual(verbose.data.subject_record.workflows, []);
      });
    });

    describe("errors", () => {
      it("rejects a type outside SUBJECT_RECORD_TYPES", async () => {
        const { client, account } = await server().fixture();
        const r = await client.call("subjectRecord.create", {
          account_id: account.id,
          subject_record: { type: "ROBOT" as "BUSINESS" },
        });
        assert.equal(r.ok, false);
        assert.equal(r.status, 400);
        assert.ok(!r.ok);
        assert.deepEqual(r.errors, [
          {
            code: "BAD_REQUEST",
            message: "subject_record.type must be one of BUSINESS, PERSON",
            field: "subject_record.type",
          },
        ]);
      });

      it("answers ENTITY_NOT_FOUND for an unknown account", async () => {
        const { client } = await server().fixture();
        const r = await client.call("subjectRecord.create", {
          account_id: "sb_unknown123",
          subject_record: { type: "BUSINESS" },
        });
        assert.ok(!r.ok);
        assert.deepEqual(r.errors, [
          { code: "ENTITY_NOT_FOUND", message: "Account not found", field: "account_id" },
        ]);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { account, reader } = await withReader(server());
        const body = { account_id: account.id, subject_record: { type: "PERSON" as const } };
        expectErrors(await reader.call("subjectRecord.create", body), 403, [
          ERRORS.readOnly("subjectRecord.create"),
        ]);
        const records = await server().store.listSubjectRecords(account.id, { limit: 10 });
        assert.deepEqual(records.items, []);
      });

      it("answers ENTITY_NOT_FOUND for another organization's, an unlisted and a live account, writing nothing", async () => {
        for (const { name, viewer, accountId } of await outOfSight(server())) {
          const body = { account_id: accountId, subject_record: { type: "BUSINESS" as const } };
          expectErrors(await viewer.call("subjectRecord.create", body), 400, [
            notFound("Account", "account_id"),
          ]);
          const records = await server().store.listSubjectRecords(accountId, { limit: 10 });
          assert.deepEqual(records.items, [], name);
        }
      });
    });
  });
}
