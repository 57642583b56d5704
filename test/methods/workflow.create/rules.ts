/**
 * workflow.create, the seed page's ENTITY_NOT_FOUND and SYSTEM_RULE_VIOLATION rows, each provoked
 * over HTTP and asserted on the whole error object. Every failure writes nothing. (IDs the
 * credential may not see are in the authorization part, test/methods/workflow.create.test.ts.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TestServer } from "../../support/server.js";
import {
  accountRows,
  applicationBody,
  createApplication,
  createEndedApplication,
  createSubjectRecord,
  EQUIPMENT_COLLECTION,
  ERRORS,
  expectErrors,
  notFound,
  PRICING_MODEL,
  twoSandboxAccounts,
  workflowsOf,
} from "../../support/workflows.js";

export function ruleErrors(server: () => TestServer): void {
  const twoAccounts = () => twoSandboxAccounts(server());

  describe("ENTITY_NOT_FOUND", () => {
    it("for an account_id that does not exist", async () => {
      const { client } = await server().fixture();
      const result = await client.call("workflow.create", applicationBody("sb_4vrv6U1vdpc341MO7cF8pE"));
      expectErrors(result, 400, [notFound("Account", "account_id")]);
    });

    it("for a subject_record_id that does not exist, on field workflow.subject_record_id", async () => {
      const { client, account } = await server().fixture();
      const body = applicationBody(account.id, { subjectRecordId: "sr_163Gh1ONk6BCHF9iYVDHcv" });
      expectErrors(await client.call("workflow.create", body), 400, [
        notFound("Subject Record", "workflow.subject_record_id"),
      ]);
      assert.deepEqual(await accountRows(server(), account.id), { subjectRecords: 0, events: 0 });
    });

    it("for a pricing model or equipment collection that does not exist", async () => {
      const { client, account } = await server().fixture();
      expectErrors(
        await client.call("workflow.create", applicationBody(account.id, { pricing_model_id: "pm_1" })),
        400,
        [notFound("Pricing model", PRICING_MODEL)],
      );
      expectErrors(
        await client.call(
          "workflow.create",
          applicationBody(account.id, { equipment_collection_id: "ec_1" }),
        ),
        400,
        [notFound("Equipment collection", EQUIPMENT_COLLECTION)],
      );
      assert.deepEqual(await accountRows(server(), account.id), { subjectRecords: 0, events: 0 });
    });

    it("for a pricing model or equipment collection of another account the credential also sees", async () => {
      const { client, account, other } = await twoAccounts();
      const { pricing_model_id } = await server().operator.createPricingModel(other.id, "Other's");
      const { equipment_collection_id } = await server().operator.createEquipmentCollection(
        other.id,
        "Other's",
      );
      expectErrors(
        await client.call("workflow.create", applicationBody(account.id, { pricing_model_id })),
        400,
        [notFound("Pricing model", PRICING_MODEL)],
      );
      expectErrors(
        await client.call("workflow.create", applicationBody(account.id, { equipment_collection_id })),
        400,
        [notFound("Equipment collection", EQUIPMENT_COLLECTION)],
      );
      // The same references work in their own account.
      await createApplication(client, other.id, { pricing_model_id, equipment_collection_id });
    });
  });

  describe("SYSTEM_RULE_VIOLATION", () => {
    it("Workflow/CROSS_ACCOUNT_REFERENCE: a subject record of account A with account_id B", async () => {
      const { client, account, other } = await twoAccounts();
      const subjectRecordId = await createSubjectRecord(client, account.id);
      for (const body of [
        applicationBody(other.id, { subjectRecordId }),
        {
          account_id: other.id,
          workflow: { type: "ACCOUNT_PROVISIONING" as const, subject_record_id: subjectRecordId },
        },
      ]) {
        expectErrors(await client.call("workflow.create", body), 400, [ERRORS.crossAccount]);
      }
      assert.deepEqual(await workflowsOf(server(), subjectRecordId), []);
      assert.deepEqual(await accountRows(server(), other.id), { subjectRecords: 0, events: 0 });
    });

    it("Workflow/INVALID_SUBJECT_RECORD_TYPE: a PERSON subject record", async () => {
      const { client, account } = await server().fixture();
      const person = await createSubjectRecord(client, account.id, "PERSON");
      expectErrors(
        await client.call("workflow.create", applicationBody(account.id, { subjectRecordId: person })),
        400,
        [ERRORS.invalidSubjectRecordType("BUSINESS_APPLICATION")],
      );
      expectErrors(
        await client.call("workflow.create", {
          account_id: account.id,
          workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: person },
        }),
        400,
        [ERRORS.invalidSubjectRecordType("ACCOUNT_PROVISIONING")],
      );
      assert.deepEqual(await workflowsOf(server(), person), []);
    });

    it("Workflow/INVALID_WORKFLOW_TYPE: BUSINESS_UNDERWRITING, with or without a subject record", async () => {
      const { client, account } = await server().fixture();
      const subjectRecordId = await createSubjectRecord(client, account.id);
      const before = await accountRows(server(), account.id);
      for (const workflow of [
        { type: "BUSINESS_UNDERWRITING" as const },
        {
          type: "BUSINESS_UNDERWRITING" as const,
          state: "CREATED" as const,
          subject_record_id: subjectRecordId,
        },
      ]) {
        expectErrors(await client.call("workflow.create", { account_id: account.id, workflow }), 400, [
          ERRORS.underwritingNotCreatable,
        ]);
      }
      assert.deepEqual(await accountRows(server(), account.id), before);
    });

    for (const state of ["CREATED", "STARTED", "ENDED"] as const) {
      it(`Workflow/SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT: a second business application when the first is ${state}`, async () => {
        const { client, account } = await server().fixture();
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const first =
          state === "ENDED"
            ? await createEndedApplication(client, account.id, { subjectRecordId })
            : await createApplication(client, account.id, { subjectRecordId, state });
        assert.equal(first.state, state);
        const before = await accountRows(server(), account.id);
        const second = applicationBody(account.id, { subjectRecordId, email: "other@example.com" });
        expectErrors(await client.call("workflow.create", second), 400, [ERRORS.typeLimit]);
        const applications = (await workflowsOf(server(), subjectRecordId)).filter(
          (w) => w.type === "BUSINESS_APPLICATION",
        );
        assert.deepEqual(
          applications.map((w) => w.id),
          [first.workflow_id],
        );
        assert.deepEqual(await accountRows(server(), account.id), before);
      });
    }
  });
}
