/**
 * List cursors are bound to the list that issued them (issue 11, item 7): a cursor answers only
 * the same method with the same filter. One from another account's list, from the other list
 * method, for another filter, or with any one character changed is BAD_REQUEST on `cursor`.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VettedClient } from "@vetted/client";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  createProvisioning,
  createSubjectRecord,
  expectErrors,
  expectOk,
  twoSandboxAccounts,
} from "./support/workflows.js";

const BAD_CURSOR = {
  code: "BAD_REQUEST" as const,
  message: "cursor is not a cursor this server issued",
  field: "cursor",
};
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

for (const kind of databaseKinds()) {
  describe(`list cursors are bound to their list [${kind}]`, () => {
    const server = useTestServer(kind);

    /** A subject record with two workflows, and the cursor after the first. */
    async function workflowCursor(client: VettedClient, accountId: string) {
      const subjectRecordId = await createSubjectRecord(client, accountId);
      for (let i = 0; i < 2; i++) {
        server().clock.offsetMs += 5;
        await createProvisioning(client, accountId, { subjectRecordId });
      }
      const page = expectOk(
        await client.call("workflow.list", { subject_record_id: subjectRecordId, limit: 1 }),
      );
      assert.equal(typeof page.next_cursor, "string");
      return { subjectRecordId, cursor: page.next_cursor ?? "" };
    }

    /** An account with two subject records, and the cursor after the first. */
    async function subjectRecordCursor(client: VettedClient, accountId: string) {
      for (let i = 0; i < 2; i++) {
        server().clock.offsetMs += 5;
        await createSubjectRecord(client, accountId);
      }
      const page = expectOk(await client.call("subjectRecord.list", { account_id: accountId, limit: 1 }));
      assert.equal(typeof page.next_cursor, "string");
      return page.next_cursor ?? "";
    }

    it("a cursor from account A's workflow.list is refused for account B's subject record", async () => {
      const a = await server().fixture();
      const b = await server().fixture();
      const { cursor } = await workflowCursor(a.client, a.account.id);
      const { subjectRecordId: recordOfB } = await workflowCursor(b.client, b.account.id);
      expectErrors(
        await b.client.call("workflow.list", { subject_record_id: recordOfB, limit: 1, cursor }),
        400,
        [BAD_CURSOR],
      );
    });

    it("a subjectRecord.list cursor is refused by workflow.list, and the other way round", async () => {
      const { client, account } = await server().fixture();
      const listCursor = await subjectRecordCursor(client, account.id);
      const { subjectRecordId, cursor: workflowListCursor } = await workflowCursor(client, account.id);
      expectErrors(
        await client.call("workflow.list", { subject_record_id: subjectRecordId, cursor: listCursor }),
        400,
        [BAD_CURSOR],
      );
      expectErrors(
        await client.call("subjectRecord.list", { account_id: account.id, cursor: workflowListCursor }),
        400,
        [BAD_CURSOR],
      );
    });

    it("a cursor is refused for another filter of the same list, even one the credential sees", async () => {
      const { client, account, other } = await twoSandboxAccounts(server());
      const cursor = await subjectRecordCursor(client, account.id);
      await subjectRecordCursor(client, other.id);
      expectErrors(await client.call("subjectRecord.list", { account_id: other.id, cursor }), 400, [
        BAD_CURSOR,
      ]);
      const first = await workflowCursor(client, account.id);
      const second = await workflowCursor(client, account.id);
      expectErrors(
        await client.call("workflow.list", {
          subject_record_id: second.subjectRecordId,
          cursor: first.cursor,
        }),
        400,
        [BAD_CURSOR],
      );
    });

    it("a cursor with any one character changed, or cut short, is refused", async () => {
      const { client, account } = await server().fixture();
      const cursor = await subjectRecordCursor(client, account.id);
      const variants: string[] = [cursor.slice(0, -1), cursor.slice(1)];
      for (let at = 0; at < cursor.length; at++) {
        const current = cursor.charAt(at);
        // The next Base64url character: a change a lenient decoder would still read as a cursor.
        const next = BASE64URL.charAt((BASE64URL.indexOf(current) + 1) % BASE64URL.length) || "A";
        variants.push(cursor.slice(0, at) + next + cursor.slice(at + 1));
      }
      for (const variant of variants) {
        expectErrors(
          await client.call("subjectRecord.list", { account_id: account.id, cursor: variant }),
          400,
          [BAD_CURSOR],
        );
      }
    });

    it("honest paging still works, also with another credential of the same organization", async () => {
      const { client, account, organization } = await server().fixture();
      const cursor = await subjectRecordCursor(client, account.id);
      const rest = expectOk(await client.call("subjectRecord.list", { account_id: account.id, cursor }));
      assert.equal(rest.subject_records.length, 1);
      assert.equal(rest.has_more, false);
      const colleague = server().clientFor(
        await server().operator.createCredential({ organizationId: organization.id, environment: "sandbox" }),
      );
      assert.deepEqual(
        expectOk(await colleague.call("subjectRecord.list", { account_id: account.id, cursor })),
        rest,
      );
      const { subjectRecordId, cursor: workflowListCursor } = await workflowCursor(client, account.id);
      const workflows = expectOk(
        await client.call("workflow.list", {
          subject_record_id: subjectRecordId,
          cursor: workflowListCursor,
        }),
      );
      assert.equal(workflows.workflows.length, 1);
      assert.equal(workflows.has_more, false);
    });
  });
}
