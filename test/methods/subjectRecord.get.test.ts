/** subjectRecord.get: one record, with its workflows when verbose; bad and unknown IDs; who may see which. */
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
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`subjectRecord.get [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("with verbose includes the record's workflows, oldest first", async () => {
        const { client, account } = await server().fixture();
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const application = await createApplication(client, account.id, { subjectRecordId });
        server().clock.offsetMs += 10;
        const provisioning = await createProvisioning(client, account.id, { subjectRecordId });
        const plain = expectOk(
          await client.call("subjectRecord.get", { subject_record_id: subjectRecordId }),
        );
        assert.equal("workflows" in plain.subject_record, false);
        const verbose = expectOk(
          await client.call("subjectRecord.get", { subject_record_id: subjectRecordId, verbose: true }),
        );
        assert.deepEqual(verbose.subject_record, {
          ...plain.subject_record,
          workflows: [application, provisioning],
        });
        const quiet = expectOk(
          await client.call("subjectRecord.get", { subject_record_id: subjectRecordId, verbose: false }),
        );
        assert.deepEqual(quiet, plain);
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown record and BAD_REQUEST for a malformed ID or flag", async () => {
        const { client, account } = await server().fixture();
        expectErrors(
          await client.call("subjectRecord.get", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
        expectErrors(
          await client.call("subjectRecord.get", { subject_record_id: "w_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [badRequest("subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"')],
        );
        const subject_record_id = await createSubjectRecord(client, account.id);
        expectErrors(
          await callUntyped(client, "subjectRecord.get", { subject_record_id, verbose: "yes" }),
          400,
          [badRequest("verbose", "must be boolean")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential reads", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        const asOwner = expectOk(
          await client.call("subjectRecord.get", { subject_record_id, verbose: true }),
        );
        assert.deepEqual(
          expectOk(await reader.call("subjectRecord.get", { subject_record_id, verbose: true })),
          asOwner,
        );
      });

      it("hides another organization's, an unlisted account's and a live account's record", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const workflow = await createApplication(owner, accountId, { state: "CREATED" });
          const body = { subject_record_id: workflow.subject_record_id, verbose: true };
          expectErrors(await viewer.call("subjectRecord.get", body), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.equal(
            expectOk(await owner.call("subjectRecord.get", body)).subject_record.workflows?.length,
            1,
            name,
          );
        }
      });
    });
  });
}
