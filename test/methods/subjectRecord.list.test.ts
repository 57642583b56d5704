/** subjectRecord.list: an account's records, oldest first, paged; bad input and unknown accounts; access. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  createSubjectRecord,
  expectErrors,
  expectOk,
  notFound,
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`subjectRecord.list [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
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
      it("answers ENTITY_NOT_FOUND for an unknown account and BAD_REQUEST for a bad limit or cursor", async () => {
        const { client, account } = await server().fixture();
        expectErrors(
          await client.call("subjectRecord.list", { account_id: "sb_4vrv6U1vdpc341MO7cF8pE" }),
          400,
          [notFound("Account", "account_id")],
        );
        expectErrors(
          await callUntyped(client, "subjectRecord.list", { account_id: account.id, limit: 0 }),
          400,
          [badRequest("limit", "must be >= 1")],
        );
        expectErrors(
          await client.call("subjectRecord.list", { account_id: account.id, cursor: "garbage" }),
          400,
          [{ code: "BAD_REQUEST", message: "cursor is not a cursor this server issued", field: "cursor" }],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential lists", async () => {
        const { client, account, reader } = await withReader(server());
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const page = expectOk(await reader.call("subjectRecord.list", { account_id: account.id }));
        assert.deepEqual(
          page.subject_records.map((r) => r.subject_record_id),
          [subjectRecordId],
        );
      });

      it("answers ENTITY_NOT_FOUND for another organization's, an unlisted and a live account", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const subjectRecordId = await createSubjectRecord(owner, accountId);
          expectErrors(await viewer.call("subjectRecord.list", { account_id: accountId }), 400, [
            notFound("Account", "account_id"),
          ]);
          const page = expectOk(await owner.call("subjectRecord.list", { account_id: accountId }));
          assert.ok(
            page.subject_records.some((r) => r.subject_record_id === subjectRecordId),
            name,
          );
        }
      });
    });
  });
}
