import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

for (const kind of databaseKinds()) {
  describe(`subjectRecord.* [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("ok", () => {
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

      it("paginates subject records oldest first", async () => {
        const { client, account } = await server().fixture();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await client.call("subjectRecord.create", {
            account_id: account.id,
            subject_record: { type: i % 2 ? "PERSON" : "BUSINESS" },
          });
          assert.ok(r.ok);
          ids.push(r.data.subject_record.subject_record_id);
        }
        const seen: string[] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = await client.call("subjectRecord.list", { account_id: account.id, limit: 2, cursor });
          assert.ok(page.ok);
          seen.push(...page.data.subject_records.map((r) => r.subject_record_id));
          if (!page.data.has_more) {
            assert.equal(page.data.next_cursor, null);
            break;
          }
          assert.equal(page.data.subject_records.length, 2);
          cursor = page.data.next_cursor ?? undefined;
        }
        assert.deepEqual(seen, ids);
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
  });
}
