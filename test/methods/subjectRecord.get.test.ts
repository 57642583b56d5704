/** subjectRecord.get: one record, with its workflows when verbose; bad and unknown IDs; who may see which. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { getBusiness, insertLinks, newBusiness } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { auditPayloads, UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
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
          business: null,
          persons: [],
          bank_accounts: [],
          locations: [],
        });
        const quiet = expectOk(
          await client.call("subjectRecord.get", { subject_record_id: subjectRecordId, verbose: false }),
        );
        assert.deepEqual(quiet, plain);
      });

      it("with verbose includes its business, persons and bank accounts as their own get answers them, masked", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id, { legal_name: "Acme", tax_id: "123456789" });
        const subject_record_id = business.subject_record_id;
        // Two persons and two bank accounts, the later of each inserted first: oldest first still.
        const later = await insertLinks(
          server(),
          business,
          { owner: true, bankAccount: [] },
          "2025-03-24T10:00:01.000Z",
        );
        const earlier = await insertLinks(
          server(),
          business,
          { owner: true, bankAccount: ["PRIMARY"] },
          "2025-03-24T10:00:00.000Z",
        );
        const plain = expectOk(await client.call("subjectRecord.get", { subject_record_id }));
        for (const key of ["workflows", "business", "persons", "bank_accounts", "locations"])
          assert.equal(key in plain.subject_record, false, key);

        const verbose = expectOk(
          await client.call("subjectRecord.get", { subject_record_id, verbose: true }),
        );
        const person = (ids: { person_id: string }, created_at: string) => ({
          person_id: ids.person_id,
          subject_record_id,
          email: null,
          first_name: "Ann",
          middle_name: null,
          last_name: null,
          date_of_birth: null,
          tax_id: "*****4321",
          citizenship: null,
          phone_number: null,
          addresses: [],
          created_at,
          updated_at: created_at,
        });
        const bankAccount = (ids: { bank_account_id: string }, created_at: string) => ({
          bank_account_id: ids.bank_account_id,
          subject_record_id,
          bank_account_ownership_type: null,
          bank_account_type: null,
          bank_routing_number: "011000015",
          bank_account_number: "****5678",
          bank_name: null,
          created_at,
          updated_at: created_at,
        });
        assert.deepEqual(verbose.subject_record, {
          ...plain.subject_record,
          workflows: [],
          business: await getBusiness(client, business.business_id),
          persons: [person(earlier, "2025-03-24T10:00:00.000Z"), person(later, "2025-03-24T10:00:01.000Z")],
          bank_accounts: [
            bankAccount(earlier, "2025-03-24T10:00:00.000Z"),
            bankAccount(later, "2025-03-24T10:00:01.000Z"),
          ],
          locations: [],
        });
        assert.deepEqual(await auditPayloads(server(), account.id), [], "masked reads are not audited");

        const shown = expectOk(
          await client.call("subjectRecord.get", {
            subject_record_id,
            verbose: true,
            show_sensitive_data: true,
          }),
        ).subject_record;
        assert.equal(shown.business?.tax_id, "123456789");
        assert.deepEqual(
          shown.persons?.map((p) => p.tax_id),
          ["987654321", "987654321"],
        );
        assert.deepEqual(
          shown.bank_accounts?.map((a) => a.bank_account_number),
          ["12345678", "12345678"],
        );
        assert.deepEqual(await auditPayloads(server(), account.id), [
          {
            method: "subjectRecord.get",
            entities: [
              { entity_type: "Business", entity_id: business.business_id, fields: ["tax_id"] },
              { entity_type: "Person", entity_id: earlier.person_id, fields: ["tax_id"] },
              { entity_type: "Person", entity_id: later.person_id, fields: ["tax_id"] },
              {
                entity_type: "Bank Account",
                entity_id: earlier.bank_account_id,
                fields: ["bank_account_number"],
              },
              {
                entity_type: "Bank Account",
                entity_id: later.bank_account_id,
                fields: ["bank_account_number"],
              },
            ],
          },
        ]);
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
