/**
 * What a credential may see (ksig1.md, methods.md): the accounts of its organization in its
 * environment, possibly narrowed to a list. Anything else answers exactly like an ID that does
 * not exist, so foreign IDs cannot be probed. Read-only credentials may read but not write.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../src/domain/ids.js";
import type { Account } from "../src/domain/records.js";
import { databaseKinds } from "./support/databases.js";
import { assertError, assertSuccess, type RawResponse, sendSigned } from "./support/http.js";
import { type Fixture, useTestServer } from "./support/server.js";

/** The body without its per-request trace ID, for comparing two answers. */
function withoutTraceId(response: RawResponse) {
  return {
    status: response.status,
    body: { ...response.json, meta: { ...response.json.meta, trace_id: "" } },
  };
}

for (const kind of databaseKinds()) {
  describe(`visibility [${kind}]`, () => {
    const server = useTestServer(kind);

    const call = (fixture: Fixture, method: string, body: unknown) =>
      sendSigned(server().url, fixture.credential, method, body);

    /** An account of `owner` with one subject record and one workflow in it. */
    async function populated(owner: Fixture, account: Account = owner.account) {
      const created = assertSuccess(
        await call(owner, "workflow.create", {
          account_id: account.id,
          workflow: { type: "ACCOUNT_PROVISIONING" },
        }),
      ) as { workflow: { workflow_id: string; subject_record_id: string } };
      return { accountId: account.id, ...created.workflow };
    }

    /**
     * Every read of `target`'s entities by `caller` is ENTITY_NOT_FOUND, with the same body as for
     * well-formed IDs that were never issued.
     */
    async function assertInvisible(caller: Fixture, target: Awaited<ReturnType<typeof populated>>) {
      const cases: [string, Record<string, unknown>, Record<string, unknown>, string, string][] = [
        [
          "subjectRecord.list",
          { account_id: target.accountId },
          { account_id: newId("sandbox") },
          "Account",
          "account_id",
        ],
        [
          "subjectRecord.create",
          { account_id: target.accountId, subject_record: { type: "BUSINESS" } },
          { account_id: newId("sandbox"), subject_record: { type: "BUSINESS" } },
          "Account",
          "account_id",
        ],
        [
          "workflow.create",
          { account_id: target.accountId, workflow: { type: "ACCOUNT_PROVISIONING" } },
          { account_id: newId("sandbox"), workflow: { type: "ACCOUNT_PROVISIONING" } },
          "Account",
          "account_id",
        ],
        [
          "subjectRecord.get",
          { subject_record_id: target.subject_record_id },
          { subject_record_id: newId("subjectRecord") },
          "Subject Record",
          "subject_record_id",
        ],
        [
          "workflow.list",
          { subject_record_id: target.subject_record_id },
          { subject_record_id: newId("subjectRecord") },
          "Subject Record",
          "subject_record_id",
        ],
        [
          "workflow.get",
          { workflow_id: target.workflow_id },
          { workflow_id: newId("workflow") },
          "Workflow",
          "workflow_id",
        ],
        [
          "workflow.create",
          {
            account_id: caller.account.id,
            workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: target.subject_record_id },
          },
          {
            account_id: caller.account.id,
            workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: newId("subjectRecord") },
          },
          "Subject Record",
          "workflow.subject_record_id",
        ],
      ];
      for (const [method, foreign, unknown, entity, field] of cases) {
        const invisible = await call(caller, method, foreign);
        assertError(invisible, 400, [{ code: "ENTITY_NOT_FOUND", message: `${entity} not found`, field }]);
        const neverIssued = await call(caller, method, unknown);
        assert.deepEqual(withoutTraceId(invisible), withoutTraceId(neverIssued), method);
      }
      // Nothing was created in the foreign account by the refused writes.
      const records = await server().store.listSubjectRecords(target.accountId, { limit: 10 });
      assert.deepEqual(
        records.items.map((r) => r.id),
        [target.subject_record_id],
      );
    }

    it("another organization's account and everything in it", async () => {
      const owner = await server().fixture();
      const stranger = await server().fixture();
      await assertInvisible(stranger, await populated(owner));
    });

    it("an account of the same organization in the other environment", async () => {
      const sandbox = await server().fixture();
      const live = await server().operator.createAccount({
        organizationId: sandbox.organization.id,
        environment: "live",
      });
      const liveCredential = await server().operator.createCredential({
        organizationId: sandbox.organization.id,
        environment: "live",
      });
      const liveOwner: Fixture = { ...sandbox, account: live, credential: liveCredential };
      await assertInvisible(sandbox, await populated(liveOwner));
      // And the other way round: the live credential cannot see the sandbox account.
      await assertInvisible(liveOwner, await populated(sandbox));
    });

    it("an account of the same organization and environment outside the credential's list", async () => {
      const owner = await server().fixture();
      const listed = await server().operator.createAccount({
        organizationId: owner.organization.id,
        environment: "sandbox",
      });
      const narrowCredential = await server().operator.createCredential({
        organizationId: owner.organization.id,
        environment: "sandbox",
        accountIds: [listed.id],
      });
      const narrow: Fixture = { ...owner, account: listed, credential: narrowCredential };
      await assertInvisible(narrow, await populated(owner));
      // Its listed account works.
      const own = await populated(narrow);
      const got = await call(narrow, "subjectRecord.get", { subject_record_id: own.subject_record_id });
      assertSuccess(got);
    });

    it("a credential over all accounts sees every account of its organization and environment", async () => {
      const owner = await server().fixture();
      const second = await server().operator.createAccount({
        organizationId: owner.organization.id,
        environment: "sandbox",
      });
      const target = await populated(owner, second);
      assertSuccess(await call(owner, "subjectRecord.get", { subject_record_id: target.subject_record_id }));
      assertSuccess(await call(owner, "workflow.get", { workflow_id: target.workflow_id }));
    });

    describe("read-only credentials", () => {
      it("are refused writes with 403 PERMISSION_DENIED, and nothing is written", async () => {
        const owner = await server().fixture();
        const readOnlyCredential = await server().operator.createCredential({
          organizationId: owner.organization.id,
          environment: "sandbox",
          readOnly: true,
        });
        const reader: Fixture = { ...owner, credential: readOnlyCredential };
        const writes: [string, unknown][] = [
          ["subjectRecord.create", { account_id: owner.account.id, subject_record: { type: "BUSINESS" } }],
          ["workflow.create", { account_id: owner.account.id, workflow: { type: "ACCOUNT_PROVISIONING" } }],
        ];
        for (const [method, body] of writes) {
          assertError(await call(reader, method, body), 403, [
            { code: "PERMISSION_DENIED", message: `This credential is read-only; ${method} writes` },
          ]);
        }
        const records = await server().store.listSubjectRecords(owner.account.id, { limit: 10 });
        assert.deepEqual(records.items, []);
      });

      it("may read with subjectRecord.get/list and workflow.get/list", async () => {
        const owner = await server().fixture();
        const target = await populated(owner);
        const reader: Fixture = {
          ...owner,
          credential: await server().operator.createCredential({
            organizationId: owner.organization.id,
            environment: "sandbox",
            readOnly: true,
          }),
        };
        const record = assertSuccess(
          await call(reader, "subjectRecord.get", { subject_record_id: target.subject_record_id }),
        ) as { subject_record: { subject_record_id: string } };
        assert.equal(record.subject_record.subject_record_id, target.subject_record_id);
        const list = assertSuccess(
          await call(reader, "subjectRecord.list", { account_id: owner.account.id }),
        ) as {
          subject_records: { subject_record_id: string }[];
        };
        assert.deepEqual(
          list.subject_records.map((r) => r.subject_record_id),
          [target.subject_record_id],
        );
        const workflow = assertSuccess(
          await call(reader, "workflow.get", { workflow_id: target.workflow_id }),
        ) as {
          workflow: { workflow_id: string };
        };
        assert.equal(workflow.workflow.workflow_id, target.workflow_id);
        const workflows = assertSuccess(
          await call(reader, "workflow.list", { subject_record_id: target.subject_record_id }),
        ) as { workflows: { workflow_id: string }[] };
        assert.deepEqual(
          workflows.workflows.map((w) => w.workflow_id),
          [target.workflow_id],
        );
      });

      it("are still subject to visibility: a foreign account is ENTITY_NOT_FOUND, not PERMISSION_DENIED on reads", async () => {
        const owner = await server().fixture();
        const target = await populated(owner);
        const reader = await server().fixture({ credential: { readOnly: true } });
        const response = await call(reader, "subjectRecord.get", {
          subject_record_id: target.subject_record_id,
        });
        assertError(response, 400, [
          { code: "ENTITY_NOT_FOUND", message: "Subject Record not found", field: "subject_record_id" },
        ]);
      });
    });
  });
}
