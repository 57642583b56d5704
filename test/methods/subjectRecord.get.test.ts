/** subjectRecord.get: one record, with its workflows when verbose; bad and unknown IDs; who may see which. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
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

      it("show_sensitive_data true answers the same record, and with nothing revealed writes no event", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        for (const verbose of [false, true]) {
          const masked = expectOk(await client.call("subjectRecord.get", { subject_record_id, verbose }));
          const shown = expectOk(
            await client.call("subjectRecord.get", { subject_record_id, verbose, show_sensitive_data: true }),
          );
          assert.deepEqual(shown, masked);
        }
        const audits = (await server().store.listEvents({ accountId: account.id })).filter(
          (event) => event.event_type === "SENSITIVE_DATA_ACCESSED",
        );
        assert.deepEqual(audits, [], "no sensitive value, no audit event");
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
        expectErrors(
          await callUntyped(client, "subjectRecord.get", { subject_record_id, show_sensitive_data: "true" }),
          400,
          [badRequest("show_sensitive_data", "must be boolean")],
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

      it("show_sensitive_data true is PERMISSION_DENIED for a read-only or --no-unmask credential; false is allowed", async () => {
        const { client, account, reader, masked } = await withMaskedCredentials(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        const plain = expectOk(await client.call("subjectRecord.get", { subject_record_id }));
        for (const refused of [reader, masked]) {
          for (const verbose of [false, true]) {
            expectErrors(
              await refused.call("subjectRecord.get", {
                subject_record_id,
                verbose,
                show_sensitive_data: true,
              }),
              403,
              [UNMASK_DENIED],
            );
          }
          for (const body of [{ subject_record_id, show_sensitive_data: false }, { subject_record_id }]) {
            assert.deepEqual(expectOk(await refused.call("subjectRecord.get", body)), plain);
          }
        }
      });

      it("the refusal is step 2: after BAD_REQUEST, before ENTITY_NOT_FOUND", async () => {
        const { reader, masked, client } = await withMaskedCredentials(server());
        const unknown = { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv", show_sensitive_data: true };
        const malformed = { subject_record_id: "sr_!", show_sensitive_data: true };
        for (const refused of [reader, masked]) {
          expectErrors(await refused.call("subjectRecord.get", unknown), 403, [UNMASK_DENIED]);
          expectErrors(await refused.call("subjectRecord.get", malformed), 400, [
            badRequest("subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"'),
          ]);
        }
        // A credential that may unmask reaches step 3.
        expectErrors(await client.call("subjectRecord.get", unknown), 400, [
          notFound("Subject Record", "subject_record_id"),
        ]);
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
