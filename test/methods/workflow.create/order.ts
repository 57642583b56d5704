/**
 * workflow.create checks in the order methods.md fixes: body shape (BAD_REQUEST), the account
 * (ENTITY_NOT_FOUND), underwriting not creatable, the subject record (ENF, CROSS_ACCOUNT_REFERENCE,
 * INVALID_SUBJECT_RECORD_TYPE), pricing model then equipment collection, one application per
 * subject record, unique email. Each case breaks two rules; the earlier one must answer.
 */
import { it } from "node:test";
import type { TestServer } from "../../support/server.js";
import {
  applicationBody,
  badRequest,
  createApplication,
  createSubjectRecord,
  DETAILS,
  EQUIPMENT_COLLECTION,
  ERRORS,
  expectErrors,
  notFound,
  PRICING_MODEL,
  twoSandboxAccounts,
} from "../../support/workflows.js";

export function orderOfChecks(server: () => TestServer): void {
  const twoAccounts = () => twoSandboxAccounts(server());

  it("BAD_REQUEST comes before ENTITY_NOT_FOUND for the account", async () => {
    const { client } = await server().fixture();
    const unknownAccount = "sb_4vrv6U1vdpc341MO7cF8pE";
    expectErrors(
      await client.call("workflow.create", applicationBody(unknownAccount, { email: "nope" })),
      400,
      [badRequest(`${DETAILS}.applying_user.email`, "must be a valid email address")],
    );
    expectErrors(
      await client.call("workflow.create", {
        account_id: unknownAccount,
        workflow: { type: "BUSINESS_APPLICATION" },
      }),
      400,
      [badRequest("workflow.details", "is required for BUSINESS_APPLICATION workflows")],
    );
  });

  it("ENTITY_NOT_FOUND for the account comes before INVALID_WORKFLOW_TYPE", async () => {
    const { client } = await server().fixture();
    const result = await client.call("workflow.create", {
      account_id: "sb_4vrv6U1vdpc341MO7cF8pE",
      workflow: { type: "BUSINESS_UNDERWRITING" },
    });
    expectErrors(result, 400, [notFound("Account", "account_id")]);
  });

  it("INVALID_WORKFLOW_TYPE comes before the subject record checks", async () => {
    const { client, account } = await server().fixture();
    const person = await createSubjectRecord(client, account.id, "PERSON");
    for (const subject_record_id of ["sr_163Gh1ONk6BCHF9iYVDHcv", person]) {
      const result = await client.call("workflow.create", {
        account_id: account.id,
        workflow: { type: "BUSINESS_UNDERWRITING", subject_record_id },
      });
      expectErrors(result, 400, [ERRORS.underwritingNotCreatable]);
    }
  });

  it("the subject record checks come before the pricing model and equipment collection", async () => {
    const { client, account, other } = await twoAccounts();
    const references = { pricing_model_id: "pm_1", equipment_collection_id: "ec_1" };
    const otherRecord = await createSubjectRecord(client, other.id, "PERSON");
    const person = await createSubjectRecord(client, account.id, "PERSON");
    const cases = [
      {
        subjectRecordId: "sr_163Gh1ONk6BCHF9iYVDHcv",
        error: notFound("Subject Record", "workflow.subject_record_id"),
      },
      // CROSS_ACCOUNT_REFERENCE before INVALID_SUBJECT_RECORD_TYPE: this PERSON record is also foreign.
      { subjectRecordId: otherRecord, error: ERRORS.crossAccount },
      { subjectRecordId: person, error: ERRORS.invalidSubjectRecordType("BUSINESS_APPLICATION") },
    ];
    for (const { subjectRecordId, error } of cases) {
      const body = applicationBody(account.id, { subjectRecordId, ...references });
      expectErrors(await client.call("workflow.create", body), 400, [error]);
    }
  });

  it("the pricing model comes before the equipment collection, and both before the rules on the record and email", async () => {
    const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
    const subjectRecordId = await createSubjectRecord(client, account.id);
    await createApplication(client, account.id, { subjectRecordId, email: "taken@example.com" });
    const body = (references: { pricing_model_id?: string; equipment_collection_id?: string }) =>
      applicationBody(account.id, { subjectRecordId, email: "taken@example.com", ...references });
    expectErrors(
      await client.call(
        "workflow.create",
        body({ pricing_model_id: "pm_1", equipment_collection_id: "ec_1" }),
      ),
      400,
      [notFound("Pricing model", PRICING_MODEL)],
    );
    expectErrors(await client.call("workflow.create", body({ equipment_collection_id: "ec_1" })), 400, [
      notFound("Equipment collection", EQUIPMENT_COLLECTION),
    ]);
    // SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT comes before DUPLICATE_EMAIL.
    expectErrors(await client.call("workflow.create", body({})), 400, [ERRORS.typeLimit]);
  });
}
