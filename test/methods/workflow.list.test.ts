/**
 * workflow.list: oldest first, keyset pagination with limit/cursor, has_more/next_cursor; bad
 * input and unknown subject records; who may list which subject record's workflows.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  createApplication,
  createProvisioning,
  createSubjectRecord,
  expectErrors,
  expectOk,
  notFound,
  type WorkflowObject,
} from "../support/workflows.js";

const BAD_CURSOR = {
  code: "BAD_REQUEST" as const,
  message: "cursor is not a cursor this server issued",
  field: "cursor",
};

for (const kind of databaseKinds()) {
  describe(`workflow.list [${kind}]`, () => {
    const server = useTestServer(kind);

    /** A subject record with an application and four provisioning workflows, created in this order. */
    async function fiveWorkflows() {
      const fixture = await server().fixture();
      const subjectRecordId = await createSubjectRecord(fixture.client, fixture.account.id);
      const workflows: WorkflowObject[] = [];
      for (let i = 0; i < 5; i++) {
        // Distinct created_at values, so creation order is the list order (ties go by ID).
        server().clock.offsetMs += 5;
        workflows.push(
          i === 0
            ? await createApplication(fixture.client, fixture.account.id, { subjectRecordId })
            : await createProvisioning(fixture.client, fixture.account.id, { subjectRecordId }),
        );
      }
      return { ...fixture, subjectRecordId, workflows };
    }

    describe("success", () => {
      it("lists every workflow of the subject record, oldest first, on one page by default", async () => {
        const { client, subjectRecordId, workflows } = await fiveWorkflows();
        const page = expectOk(await client.call("workflow.list", { subject_record_id: subjectRecordId }));
        assert.deepEqual(page, { workflows, has_more: false, next_cursor: null });
      });

      it("pages with limit and cursor until has_more is false", async () => {
        const { client, subjectRecordId, workflows } = await fiveWorkflows();
        const pages: WorkflowObject[][] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = expectOk(
            await client.call("workflow.list", { subject_record_id: subjectRecordId, limit: 2, cursor }),
          );
          pages.push(page.workflows);
          if (!page.has_more) {
            assert.equal(page.next_cursor, null);
            break;
          }
          assert.equal(typeof page.next_cursor, "string");
          cursor = page.next_cursor ?? undefined;
        }
        assert.deepEqual(
          pages.map((p) => p.map((w) => w.workflow_id)),
          [[workflows[0], workflows[1]], [workflows[2], workflows[3]], [workflows[4]]].map((p) =>
            p.map((w) => w?.workflow_id),
          ),
        );
      });

      it("says has_more false on an exactly full last page", async () => {
        const { client, subjectRecordId, workflows } = await fiveWorkflows();
        const first = expectOk(
          await client.call("workflow.list", { subject_record_id: subjectRecordId, limit: 4 }),
        );
        assert.equal(first.has_more, true);
        const rest = expectOk(
          await client.call("workflow.list", {
            subject_record_id: subjectRecordId,
            limit: 1,
            cursor: first.next_cursor ?? "",
          }),
        );
        assert.deepEqual(rest, { workflows: [workflows[4]], has_more: false, next_cursor: null });
        const all = expectOk(
          await client.call("workflow.list", { subject_record_id: subjectRecordId, limit: 5 }),
        );
        assert.deepEqual(all, { workflows, has_more: false, next_cursor: null });
      });

      it("answers an empty list for a subject record without workflows", async () => {
        const { client, account } = await server().fixture();
        const subjectRecordId = await createSubjectRecord(client, account.id);
        assert.deepEqual(
          expectOk(await client.call("workflow.list", { subject_record_id: subjectRecordId })),
          {
            workflows: [],
            has_more: false,
            next_cursor: null,
          },
        );
      });
    });

    describe("errors", () => {
      it("rejects a cursor it did not issue with BAD_REQUEST on field cursor, before looking anything up", async () => {
        const { client, account } = await server().fixture();
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const forged = Buffer.from(JSON.stringify({ after: 1 })).toString("base64url");
        for (const cursor of ["garbage", forged]) {
          expectErrors(
            await client.call("workflow.list", { subject_record_id: subjectRecordId, cursor }),
            400,
            [BAD_CURSOR],
          );
        }
        expectErrors(
          await client.call("workflow.list", {
            subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv",
            cursor: "garbage",
          }),
          400,
          [BAD_CURSOR],
        );
      });

      it("rejects limits outside 1–1000, an empty cursor and unknown fields", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const cases: [unknown, ReturnType<typeof badRequest>][] = [
          [{ subject_record_id, limit: 0 }, badRequest("limit", "must be >= 1")],
          [{ subject_record_id, limit: 1001 }, badRequest("limit", "must be <= 1000")],
          [{ subject_record_id, limit: 2.5 }, badRequest("limit", "must be integer")],
          [{ subject_record_id, cursor: "" }, badRequest("cursor", "must NOT have fewer than 1 characters")],
          [{ subject_record_id, offset: 2 }, badRequest("offset", "is not a known field")],
          [{}, badRequest("subject_record_id", "is required")],
        ];
        for (const [body, error] of cases) {
          expectErrors(await callUntyped(client, "workflow.list", body), 400, [error]);
        }
      });

      it("answers ENTITY_NOT_FOUND for an unknown subject record", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("workflow.list", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential lists", async () => {
        const { client, account, reader } = await withReader(server());
        const created = await createApplication(client, account.id, { state: "CREATED" });
        const list = expectOk(
          await reader.call("workflow.list", { subject_record_id: created.subject_record_id }),
        );
        assert.deepEqual(list, { workflows: [created], has_more: false, next_cursor: null });
      });

      it("hides another organization's, an unlisted account's and a live account's subject record", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const workflow = await createApplication(owner, accountId, { state: "CREATED" });
          const body = { subject_record_id: workflow.subject_record_id };
          expectErrors(await viewer.call("workflow.list", body), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.equal(expectOk(await owner.call("workflow.list", body)).workflows.length, 1, name);
        }
      });
    });
  });
}
