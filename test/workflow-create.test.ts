/** workflow.create, the successful cases: the seed page's two examples and the full workflow object. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestOf } from "../src/methods/index.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";
import {
  accountRows,
  createApplication,
  createProvisioning,
  createSubjectRecord,
  expectOk,
  getWorkflow,
  ISO_MS,
  SUBJECT_RECORD_ID,
  WORKFLOW_ID,
  type WorkflowObject,
  workflowsOf,
} from "./support/workflows.js";

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
  describe(`workflow.create ok [${kind}]`, () => {
    const server = useTestServer(kind);

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
  });
}
