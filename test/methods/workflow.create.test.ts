/**
 * workflow.create: the seed page's two examples, the full workflow object and when the rules
 * allow (success); every error row of the seed page, in test/methods/workflow.create/ (errors);
 * which accounts, subject records and credentials a caller may use (authorization).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestOf } from "@vetted/client";
import { withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { expectedEvent } from "../support/events.js";
import { useTestServer } from "../support/server.js";
import {
  accountRows,
  applicationBody,
  createApplication,
  createProvisioning,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  getWorkflow,
  ISO_MS,
  notFound,
  SUBJECT_RECORD_ID,
  twoSandboxAccounts,
  WORKFLOW_ID,
  type WorkflowObject,
  workflowsOf,
} from "../support/workflows.js";
import { badRequestErrors } from "./workflow.create/bad-request.js";
import { duplicateEmailErrors } from "./workflow.create/duplicate-email.js";
import { orderOfChecks } from "./workflow.create/order.js";
import { ruleErrors } from "./workflow.create/rules.js";

// The two request examples of the original Kompliant page, character for character, except that
// the account and subject record IDs are swapped for ones that exist here, and the email: the
// page's "[email protected]" is what Cloudflare's email obfuscation left in the scraped page, not
// an address, so a real one stands in for it.
const SEED_BUSINESS_APPLICATION = `{
  "account_id": "sb_j8gh53b",
  "workflow": {
    "type": "BUSINESS_APPLICATION",
    "subject_record_id": "sr_163Gh1ONk6BCHF9iYVDHcv",
    "details": {
      "business_application_details": {
        "applying_user": {
          "email": "[email protected]"
        },
        "referrer_value": "UAYACG123"
      }
    }
  }
}`;

const SEED_ACCOUNT_PROVISIONING = `{
  "account_id": "sb_j8gh53b",
  "workflow": {
    "type": "ACCOUNT_PROVISIONING"
  }
}`;

function seedRequest(text: string, swaps: Record<string, string>) {
  let swapped = text;
  for (const [from, to] of Object.entries(swaps)) {
    assert.ok(swapped.includes(from), `the seed example holds ${from}`);
    swapped = swapped.replace(from, to);
  }
  return JSON.parse(swapped) as RequestOf<"workflow.create">;
}

for (const kind of databaseKinds()) {
  describe(`workflow.create [${kind}]`, () => {
    const server = useTestServer(kind);
    const twoAccounts = () => twoSandboxAccounts(server());

    describe("success", () => {
      it("accepts the seed page's business application example and answers the full workflow object", async () => {
        const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const body = seedRequest(SEED_BUSINESS_APPLICATION, {
          sb_j8gh53b: account.id,
          sr_163Gh1ONk6BCHF9iYVDHcv: subjectRecordId,
          "[email protected]": "applicant@example.com",
        });
        const result = await client.call("workflow.create", body);
        const { workflow } = expectOk(result);
        assert.match(workflow.workflow_id, WORKFLOW_ID);
        assert.match(workflow.created_at, ISO_MS);
        assert.deepEqual(workflow, {
          workflow_id: workflow.workflow_id,
          type: "BUSINESS_APPLICATION",
          state: "STARTED",
          subject_record_id: subjectRecordId,
          account_id: account.id,
          details: {
            business_application_details: {
              applying_user: { email: "applicant@example.com", first_name: null, last_name: null },
              pricing_model_id: null,
              equipment_collection_id: null,
              referrer_value: "UAYACG123",
            },
          },
          started_at: workflow.created_at,
          ended_at: null,
          created_at: workflow.created_at,
          updated_at: workflow.created_at,
        });
        assert.equal(result.meta.version, "2025-03-24");
        assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow);
      });

      it("accepts the seed page's account provisioning example: details null, a new BUSINESS subject record", async () => {
        const { client, account } = await server().fixture();
        const before = await accountRows(server(), account.id);
        const body = seedRequest(SEED_ACCOUNT_PROVISIONING, { sb_j8gh53b: account.id });
        const { workflow } = expectOk(await client.call("workflow.create", body));
        assert.match(workflow.subject_record_id, SUBJECT_RECORD_ID);
        assert.deepEqual(workflow, {
          workflow_id: workflow.workflow_id,
          type: "ACCOUNT_PROVISIONING",
          state: "STARTED",
          subject_record_id: workflow.subject_record_id,
          account_id: account.id,
          details: null,
          started_at: workflow.created_at,
          ended_at: null,
          created_at: workflow.created_at,
          updated_at: workflow.created_at,
        });
        const record = expectOk(
          await client.call("subjectRecord.get", { subject_record_id: workflow.subject_record_id }),
        ).subject_record;
        assert.deepEqual(record, {
          subject_record_id: workflow.subject_record_id,
          account_id: account.id,
          subject_record_type: "BUSINESS",
          type: "BUSINESS",
          created_at: workflow.created_at,
          updated_at: workflow.created_at,
        });
        assert.deepEqual(await accountRows(server(), account.id), {
          subjectRecords: before.subjectRecords + 1,
          events: before.events + 1,
        });
      });

      it("creates a business application in CREATED with started_at null when asked", async () => {
        const { client, account } = await server().fixture();
        const workflow = await createApplication(client, account.id, { state: "CREATED" });
        assert.equal(workflow.state, "CREATED");
        assert.equal(workflow.started_at, null);
        assert.equal(workflow.ended_at, null);
        assert.equal(workflow.updated_at, workflow.created_at);
        assert.equal((await getWorkflow(client, workflow.workflow_id)).state, "CREATED");
      });

      it("creates an explicit STARTED workflow exactly like the default", async () => {
        const { client, account } = await server().fixture();
        const workflow = await createProvisioning(client, account.id, { state: "STARTED" });
        assert.equal(workflow.state, "STARTED");
        assert.equal(workflow.started_at, workflow.created_at);
      });

      it("stores and returns every detail field when all are given", async () => {
        const { client, account } = await server().fixture();
        const { pricing_model_id } = await server().operator.createPricingModel(account.id, "Standard");
        const { equipment_collection_id } = await server().operator.createEquipmentCollection(
          account.id,
          "Terminals",
        );
        const workflow = await createApplication(client, account.id, {
          email: "Ann.Lee+shop@Example.co.uk",
          first_name: "A".repeat(100),
          last_name: "Lee",
          pricing_model_id,
          equipment_collection_id,
          referrer_value: "R".repeat(100),
        });
        assert.deepEqual(workflow.details, {
          business_application_details: {
            // The email is kept as given; only uniqueness checks ignore its case.
            applying_user: {
              email: "Ann.Lee+shop@Example.co.uk",
              first_name: "A".repeat(100),
              last_name: "Lee",
            },
            pricing_model_id,
            equipment_collection_id,
            referrer_value: "R".repeat(100),
          },
        });
        assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow);
      });

      it("creates the automatic subject record in account_id, not in another account the credential sees", async () => {
        const { client, account, organization } = await server().fixture();
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const workflow = await createApplication(client, other.id);
        assert.equal(workflow.account_id, other.id);
        const record = await server().store.getSubjectRecord(workflow.subject_record_id);
        assert.equal(record?.account_id, other.id);
        assert.equal(record?.type, "BUSINESS");
        assert.equal((await accountRows(server(), account.id)).subjectRecords, 0);
      });

      it("gives every application without a subject record its own new subject record", async () => {
        const { client, account } = await server().fixture();
        const first = await createApplication(client, account.id, { email: "same@example.com" });
        const second = await createApplication(client, account.id, { email: "same@example.com" });
        assert.notEqual(first.subject_record_id, second.subject_record_id);
        assert.equal((await accountRows(server(), account.id)).subjectRecords, 2);
      });

      it("allows several ACCOUNT_PROVISIONING workflows, and one beside a business application, on one subject record", async () => {
        const { client, account } = await server().fixture();
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const application = await createApplication(client, account.id, { subjectRecordId });
        const provisioning: WorkflowObject[] = [];
        for (let i = 0; i < 3; i++) {
          provisioning.push(await createProvisioning(client, account.id, { subjectRecordId }));
        }
        for (const workflow of provisioning) assert.equal(workflow.subject_record_id, subjectRecordId);
        const stored = await workflowsOf(server(), subjectRecordId);
        assert.deepEqual(
          stored.map((w) => w.id).sort(),
          [application, ...provisioning].map((w) => w.workflow_id).sort(),
        );
      });

      it("creates an ACCOUNT_PROVISIONING workflow in CREATED on an existing subject record", async () => {
        const { client, account } = await server().fixture();
        const subjectRecordId = await createSubjectRecord(client, account.id);
        const workflow = await createProvisioning(client, account.id, { subjectRecordId, state: "CREATED" });
        assert.deepEqual(workflow, {
          workflow_id: workflow.workflow_id,
          type: "ACCOUNT_PROVISIONING",
          state: "CREATED",
          subject_record_id: subjectRecordId,
          account_id: account.id,
          details: null,
          started_at: null,
          ended_at: null,
          created_at: workflow.created_at,
          updated_at: workflow.created_at,
        });
      });
      it("allows the same email many times when the account allows multiple applications per email", async () => {
        const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: true });
        const ids = new Set<string>();
        for (const email of ["cy@example.com", "CY@example.com", "cy@example.com"]) {
          ids.add((await createApplication(client, account.id, { email })).workflow_id);
        }
        assert.equal(ids.size, 3);
      });

      it("allows multiples by default (an account created without the setting)", async () => {
        const { client, account } = await server().fixture();
        assert.equal(account.allow_multiple_applications_per_email, true);
        await createApplication(client, account.id, { email: "di@example.com" });
        await createApplication(client, account.id, { email: "di@example.com" });
      });

      it("checks emails per account: another account's application with the same email does not count", async () => {
        const { client, account, organization } = await server().fixture({
          allowMultipleApplicationsPerEmail: false,
        });
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
          allowMultipleApplicationsPerEmail: false,
        });
        await createApplication(client, other.id, { email: "gus@example.com" });
        await createApplication(client, account.id, { email: "gus@example.com" });
      });

      it("ACCOUNT_PROVISIONING has no per-record limit and no email rule", async () => {
        const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
        const subjectRecordId = await createSubjectRecord(client, account.id);
        await createApplication(client, account.id, { subjectRecordId });
        await createProvisioning(client, account.id, { subjectRecordId });
        await createProvisioning(client, account.id, { subjectRecordId });
        assert.equal((await workflowsOf(server(), subjectRecordId)).length, 3);
      });
      it("uses the API key as actor_id for an unnamed credential, and one WORKFLOW_STARTED for a workflow created STARTED", async () => {
        const { client, account, credential } = await server().fixture();
        const workflow = await createProvisioning(client, account.id);
        const events = await server().store.listEvents({ workflowId: workflow.workflow_id });
        assert.equal(events.length, 1);
        expectedEvent(
          events[0],
          "WORKFLOW_STARTED",
          workflow,
          { actor_type: "API_KEY", actor_id: credential.api_key },
          workflow.created_at,
        );
      });
    });

    describe("errors", () => {
      describe("BAD_REQUEST", () => badRequestErrors(server));
      ruleErrors(server);
      describe("DUPLICATE_EMAIL", () => duplicateEmailErrors(server));
      describe("order of checks", () => orderOfChecks(server));
    });

    describe("authorization", () => {
      describe("ENTITY_NOT_FOUND for what the credential may not see", () => {
        it("for an account of another organization, and for a live account of the same one", async () => {
          const { client, organization } = await server().fixture();
          const stranger = await server().fixture();
          const live = await server().operator.createAccount({
            organizationId: organization.id,
            environment: "live",
          });
          for (const accountId of [stranger.account.id, live.id]) {
            const result = await client.call("workflow.create", applicationBody(accountId));
            expectErrors(result, 400, [notFound("Account", "account_id")]);
            assert.deepEqual(await accountRows(server(), accountId), { subjectRecords: 0, events: 0 });
          }
        });

        it("for an account outside the credential's account list", async () => {
          const { organization, account, other } = await twoAccounts();
          const credential = await server().operator.createCredential({
            organizationId: organization.id,
            environment: "sandbox",
            accountIds: [account.id],
          });
          const result = await server()
            .clientFor(credential)
            .call("workflow.create", applicationBody(other.id));
          expectErrors(result, 400, [notFound("Account", "account_id")]);
        });

        it("for a subject record the credential cannot see (another organization's, or outside its list)", async () => {
          const { client, account, organization, other } = await twoAccounts();
          const stranger = await server().fixture();
          const foreign = await createSubjectRecord(stranger.client, stranger.account.id);
          expectErrors(
            await client.call("workflow.create", applicationBody(account.id, { subjectRecordId: foreign })),
            400,
            [notFound("Subject Record", "workflow.subject_record_id")],
          );
          // A credential limited to `account` does not see `other`'s record: ENF, not CROSS_ACCOUNT_REFERENCE.
          const limited = server().clientFor(
            await server().operator.createCredential({
              organizationId: organization.id,
              environment: "sandbox",
              accountIds: [account.id],
            }),
          );
          const otherRecord = await createSubjectRecord(client, other.id);
          expectErrors(
            await limited.call(
              "workflow.create",
              applicationBody(account.id, { subjectRecordId: otherRecord }),
            ),
            400,
            [notFound("Subject Record", "workflow.subject_record_id")],
          );
        });
      });

      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { account, reader } = await withReader(server());
        expectErrors(
          await reader.call("workflow.create", {
            account_id: account.id,
            workflow: { type: "ACCOUNT_PROVISIONING" },
          }),
          403,
          [ERRORS.readOnly("workflow.create")],
        );
        expectErrors(await reader.call("workflow.create", applicationBody(account.id)), 403, [
          ERRORS.readOnly("workflow.create"),
        ]);
        assert.deepEqual(await accountRows(server(), account.id), { subjectRecords: 0, events: 0 });
      });
    });
  });
}
