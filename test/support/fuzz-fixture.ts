/**
 * The world a fuzz test runs in: a strict credential with its account and some real entities
 * (subject records, workflows in several states, account setup entities), plus an organization
 * the credential cannot see. Their IDs form the pool the body generator substitutes from.
 */
import assert from "node:assert/strict";
import type { IdPool } from "./fuzz-schema.js";
import type { Fixture, TestServer } from "./server.js";

export interface FuzzWorld {
  fixture: Fixture;
  /** Another organization, whose entities the fixture's credential must not see. */
  stranger: Fixture;
  pool: IdPool;
}

export async function createFuzzWorld(server: TestServer): Promise<FuzzWorld> {
  const fixture = await server.fixture();
  assert.equal(fixture.credential.signature_policy, "strict");
  const stranger = await server.fixture();
  const accountId = fixture.account.id;
  const { pricing_model_id } = await server.operator.createPricingModel(accountId, "Fuzz pricing");
  const { equipment_collection_id } = await server.operator.createEquipmentCollection(accountId, "Fuzz kit");

  const subjectRecords: string[] = [];
  const workflows: string[] = [];
  for (const { client, account } of [fixture, stranger]) {
    for (const type of ["BUSINESS", "PERSON"] as const) {
      const created = await client.call("subjectRecord.create", {
        account_id: account.id,
        subject_record: { type },
      });
      assert.ok(created.ok, JSON.stringify(created));
      subjectRecords.push(created.data.subject_record.subject_record_id);
    }
    for (const state of ["CREATED", "STARTED"] as const) {
      const application = await client.call("workflow.create", {
        account_id: account.id,
        workflow: {
          type: "BUSINESS_APPLICATION",
          state,
          details: { business_application_details: { applying_user: { email: `${state}@example.com` } } },
        },
      });
      assert.ok(application.ok, JSON.stringify(application));
      workflows.push(application.data.workflow.workflow_id);
      subjectRecords.push(application.data.workflow.subject_record_id);
    }
    const provisioning = await client.call("workflow.create", {
      account_id: account.id,
      workflow: { type: "ACCOUNT_PROVISIONING" },
    });
    assert.ok(provisioning.ok, JSON.stringify(provisioning));
    workflows.push(provisioning.data.workflow.workflow_id);
  }
  return {
    fixture,
    stranger,
    pool: {
      sb_: [accountId, stranger.account.id],
      sr_: subjectRecords,
      w_: workflows,
      pm_: [pricing_model_id],
      ec_: [equipment_collection_id],
    },
  };
}
