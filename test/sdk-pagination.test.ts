/**
 * The SDK's pagination (issue 16, item 3): `paginate` walks any list method page after page with
 * the caller's limit, following `next_cursor` while `has_more`, and yields every item once, in the
 * list's order; `pages` yields the pages themselves.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createClient, VettedApiError, type VettedClient } from "@vetted/client";
import { databaseKinds } from "./support/databases.js";
import { type Fixture, useTestServer } from "./support/server.js";
import { createProvisioning, createSubjectRecord } from "./support/workflows.js";

const N = 5;

for (const kind of databaseKinds()) {
  describe(`SDK pagination [${kind}]`, () => {
    const server = useTestServer(kind);
    let fixture: Fixture;
    let subjectRecordId: string;
    /** The workflow IDs in creation order. */
    const created: string[] = [];
    /** The bodies the client sent, to see it page with the caller's limit and the server's cursors. */
    const sent: Record<string, unknown>[] = [];
    let client: VettedClient;

    before(async () => {
      fixture = await server().fixture();
      subjectRecordId = await createSubjectRecord(fixture.client, fixture.account.id);
      for (let i = 0; i < N; i++) {
        // Apart in time, so the list's order (oldest first) is the order of creation.
        server().clock.offsetMs += 5;
        const workflow = await createProvisioning(fixture.client, fixture.account.id, { subjectRecordId });
        created.push(workflow.workflow_id);
      }
      const { credential } = fixture;
      client = createClient({
        baseUrl: server().url,
        apiKey: credential.api_key,
        secretKey: credential.secret_key,
        authToken: credential.auth_token,
        async fetch(input, init) {
          sent.push(JSON.parse(new TextDecoder().decode(init.body as Uint8Array)));
          return fetch(input, init);
        },
      });
    });

    it(`for await over workflow.list with limit 2 yields all ${N} workflows once, in order`, async () => {
      sent.length = 0;
      const seen: string[] = [];
      for await (const workflow of client.paginate("workflow.list", {
        subject_record_id: subjectRecordId,
        limit: 2,
      })) {
        seen.push(workflow.workflow_id);
      }
      assert.deepEqual(seen, created);
      assert.equal(sent.length, 3, "three pages of 2, 2 and 1");
      assert.ok(sent.every((body) => body.limit === 2));
      assert.equal(sent[0]?.cursor, undefined);
      assert.ok(typeof sent[1]?.cursor === "string" && sent[1].cursor !== sent[2]?.cursor);
    });

    it("pages yields each page with its has_more and next_cursor", async () => {
      const pages = [];
      for await (const page of client.pages("workflow.list", {
        subject_record_id: subjectRecordId,
        limit: 2,
      })) {
        pages.push(page);
      }
      assert.deepEqual(
        pages.map((page) => page.workflows.length),
        [2, 2, 1],
      );
      assert.deepEqual(
        pages.map((page) => page.has_more),
        [true, true, false],
      );
      assert.equal(pages[2]?.next_cursor, null);
    });

    it("works on another list method, whose array has another key (subjectRecord.list)", async () => {
      const ids: string[] = [];
      for await (const record of client.paginate("subjectRecord.list", {
        account_id: fixture.account.id,
        limit: 1,
      })) {
        ids.push(record.subject_record_id);
      }
      assert.deepEqual(ids, [subjectRecordId]);
    });

    it("an empty list yields nothing after one request", async () => {
      sent.length = 0;
      const empty = await createSubjectRecord(fixture.client, fixture.account.id);
      const items = [];
      for await (const item of client.paginate("workflow.list", { subject_record_id: empty, limit: 2 })) {
        items.push(item);
      }
      assert.deepEqual(items, []);
      assert.equal(sent.length, 1);
    });

    it("a refused page throws VettedApiError", async () => {
      const walk = async () => {
        for await (const _ of client.paginate("workflow.list", {
          subject_record_id: "sr_doesnotexist",
          limit: 2,
        })) {
          assert.fail("no item expected");
        }
      };
      await assert.rejects(walk, (error: unknown) => {
        assert.ok(error instanceof VettedApiError);
        assert.equal(error.code, "ENTITY_NOT_FOUND");
        assert.equal(error.field, "subject_record_id");
        return true;
      });
    });
  });
}
