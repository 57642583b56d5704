/**
 * workflow.create, the seed page's BAD_REQUEST row: a type outside WORKFLOW_TYPES, required
 * parameters missing at every level, invalid values, unknown fields, malformed IDs — each with
 * its exact `field` path, and nothing written.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import type { WireError } from "../../../src/errors.js";
import type { TestServer } from "../../support/server.js";
import { accountRows, badRequest, callUntyped, DETAILS, expectErrors } from "../../support/workflows.js";

const TYPES = "BUSINESS_APPLICATION, ACCOUNT_PROVISIONING, BUSINESS_UNDERWRITING";

type Case = { name: string; body: (accountId: string) => unknown; errors: WireError[] };

function application(accountId: string, detailsValue: unknown, extra: Record<string, unknown> = {}) {
  return {
    account_id: accountId,
    workflow: { type: "BUSINESS_APPLICATION", details: detailsValue, ...extra },
  };
}

function withUser(user: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  return { business_application_details: { applying_user: user, ...rest } };
}

const CASES: Case[] = [
  {
    name: "a type outside WORKFLOW_TYPES",
    body: (a) => ({ account_id: a, workflow: { type: "KYC_REVIEW" } }),
    errors: [badRequest("workflow.type", `must be one of ${TYPES}`)],
  },
  {
    name: "a type in the wrong case",
    body: (a) => ({ account_id: a, workflow: { type: "account_provisioning" } }),
    errors: [badRequest("workflow.type", `must be one of ${TYPES}`)],
  },
  {
    name: "a type with surrounding whitespace",
    body: (a) => ({ account_id: a, workflow: { type: " ACCOUNT_PROVISIONING" } }),
    errors: [badRequest("workflow.type", `must be one of ${TYPES}`)],
  },
  {
    name: "a type that is not a string",
    body: (a) => ({ account_id: a, workflow: { type: 1 } }),
    errors: [badRequest("workflow.type", "must be string")],
  },
  {
    name: "no account_id",
    body: () => ({ workflow: { type: "ACCOUNT_PROVISIONING" } }),
    errors: [badRequest("account_id", "is required")],
  },
  {
    name: "no workflow",
    body: (a) => ({ account_id: a }),
    errors: [badRequest("workflow", "is required")],
  },
  {
    name: "no workflow.type",
    body: (a) => ({ account_id: a, workflow: { state: "CREATED" } }),
    errors: [badRequest("workflow.type", "is required")],
  },
  {
    name: "state ENDED",
    body: (a) => ({ account_id: a, workflow: { type: "ACCOUNT_PROVISIONING", state: "ENDED" } }),
    errors: [badRequest("workflow.state", "must be one of CREATED, STARTED")],
  },
  {
    name: "a state outside WORKFLOW_STATES",
    body: (a) => ({ account_id: a, workflow: { type: "ACCOUNT_PROVISIONING", state: "PAUSED" } }),
    errors: [badRequest("workflow.state", "must be one of CREATED, STARTED")],
  },
  {
    name: "details on an ACCOUNT_PROVISIONING workflow",
    body: (a) => ({
      account_id: a,
      workflow: { type: "ACCOUNT_PROVISIONING", details: withUser({ email: "ann@example.com" }) },
    }),
    errors: [badRequest("workflow.details", "must be absent for ACCOUNT_PROVISIONING workflows")],
  },
  {
    name: "empty details on an ACCOUNT_PROVISIONING workflow",
    body: (a) => ({ account_id: a, workflow: { type: "ACCOUNT_PROVISIONING", details: {} } }),
    errors: [badRequest("workflow.details", "must be absent for ACCOUNT_PROVISIONING workflows")],
  },
  {
    name: "details on a BUSINESS_UNDERWRITING workflow (checked before the type rule)",
    body: (a) => ({
      account_id: a,
      workflow: { type: "BUSINESS_UNDERWRITING", details: withUser({ email: "ann@example.com" }) },
    }),
    errors: [badRequest("workflow.details", "must be absent for BUSINESS_UNDERWRITING workflows")],
  },
  {
    name: "a business application without details",
    body: (a) => ({ account_id: a, workflow: { type: "BUSINESS_APPLICATION" } }),
    errors: [badRequest("workflow.details", "is required for BUSINESS_APPLICATION workflows")],
  },
  {
    name: "details null",
    body: (a) => application(a, null),
    errors: [badRequest("workflow.details", "must be object")],
  },
  {
    name: "details without business_application_details",
    body: (a) => application(a, {}),
    errors: [badRequest(DETAILS, "is required")],
  },
  {
    name: "business_application_details without applying_user",
    body: (a) => application(a, { business_application_details: { referrer_value: "UAYACG123" } }),
    errors: [badRequest(`${DETAILS}.applying_user`, "is required")],
  },
  {
    name: "applying_user without email",
    body: (a) => application(a, withUser({ first_name: "Ann" })),
    errors: [badRequest(`${DETAILS}.applying_user.email`, "is required")],
  },
  ...["not-an-email", "ann@localhost", "ann@@example.com", "ann @example.com", "@example.com", ""].map(
    (email): Case => ({
      name: `the email ${JSON.stringify(email)}`,
      body: (a) => application(a, withUser({ email })),
      errors: [badRequest(`${DETAILS}.applying_user.email`, "must be a valid email address")],
    }),
  ),
  {
    name: "an email over 254 characters",
    body: (a) => application(a, withUser({ email: `${"a".repeat(243)}@example.com` })),
    errors: [badRequest(`${DETAILS}.applying_user.email`, "must NOT have more than 254 characters")],
  },
  {
    name: "a referrer_value of 101 characters",
    body: (a) => application(a, withUser({ email: "ann@example.com" }, { referrer_value: "r".repeat(101) })),
    errors: [badRequest(`${DETAILS}.referrer_value`, "must NOT have more than 100 characters")],
  },
  {
    name: "a first_name of 101 characters",
    body: (a) => application(a, withUser({ email: "ann@example.com", first_name: "f".repeat(101) })),
    errors: [badRequest(`${DETAILS}.applying_user.first_name`, "must NOT have more than 100 characters")],
  },
  {
    name: "an empty last_name",
    body: (a) => application(a, withUser({ email: "ann@example.com", last_name: "" })),
    errors: [badRequest(`${DETAILS}.applying_user.last_name`, "must NOT have fewer than 1 characters")],
  },
  {
    name: "an unknown top-level field",
    body: (a) => ({ account_id: a, workflow: { type: "ACCOUNT_PROVISIONING" }, organization_id: "org_1" }),
    errors: [badRequest("organization_id", "is not a known field")],
  },
  {
    name: "an unknown field in workflow",
    body: (a) => ({ account_id: a, workflow: { type: "ACCOUNT_PROVISIONING", started_at: "2025-01-01" } }),
    errors: [badRequest("workflow.started_at", "is not a known field")],
  },
  {
    name: "an unknown field in details",
    body: (a) => application(a, { ...withUser({ email: "ann@example.com" }), person_details: {} }),
    errors: [badRequest("workflow.details.person_details", "is not a known field")],
  },
  {
    name: "an unknown field in business_application_details",
    body: (a) => application(a, withUser({ email: "ann@example.com" }, { equipment_selection_id: "ec_1" })),
    errors: [badRequest(`${DETAILS}.equipment_selection_id`, "is not a known field")],
  },
  {
    name: "an unknown field in applying_user",
    body: (a) => application(a, withUser({ email: "ann@example.com", phone: "+15550100" })),
    errors: [badRequest(`${DETAILS}.applying_user.phone`, "is not a known field")],
  },
  {
    name: "a malformed account_id",
    body: () => ({ account_id: "acct_123", workflow: { type: "ACCOUNT_PROVISIONING" } }),
    errors: [badRequest("account_id", 'must match pattern "^(sb_|lv_)[0-9A-Za-z]{1,22}$"')],
  },
  {
    name: "a malformed subject_record_id",
    body: (a) => ({ account_id: a, workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: "sr_a-b" } }),
    errors: [badRequest("workflow.subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"')],
  },
  {
    name: "a subject_record_id of 23 characters after the prefix",
    body: (a) => ({
      account_id: a,
      workflow: { type: "ACCOUNT_PROVISIONING", subject_record_id: `sr_${"A".repeat(23)}` },
    }),
    errors: [badRequest("workflow.subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"')],
  },
  {
    name: "a malformed pricing_model_id",
    body: (a) => application(a, withUser({ email: "ann@example.com" }, { pricing_model_id: "pm_" })),
    errors: [badRequest(`${DETAILS}.pricing_model_id`, 'must match pattern "^(pm_)[0-9A-Za-z]{1,22}$"')],
  },
  {
    name: "an equipment_collection_id with another entity's prefix",
    body: (a) => application(a, withUser({ email: "ann@example.com" }, { equipment_collection_id: "pm_1" })),
    errors: [
      badRequest(`${DETAILS}.equipment_collection_id`, 'must match pattern "^(ec_)[0-9A-Za-z]{1,22}$"'),
    ],
  },
  {
    name: "several invalid fields at once",
    body: (a) =>
      application(a, withUser({ email: "nope", first_name: "" }, { referrer_value: "r".repeat(101) })),
    errors: [
      badRequest(`${DETAILS}.applying_user.email`, "must be a valid email address"),
      badRequest(`${DETAILS}.applying_user.first_name`, "must NOT have fewer than 1 characters"),
      badRequest(`${DETAILS}.referrer_value`, "must NOT have more than 100 characters"),
    ],
  },
];

export function badRequestErrors(server: () => TestServer): void {
  for (const testCase of CASES) {
    it(`rejects ${testCase.name}`, async () => {
      const { client, account } = await server().fixture({ allowMultipleApplicationsPerEmail: false });
      const result = await callUntyped(client, "workflow.create", testCase.body(account.id));
      expectErrors(result, 400, testCase.errors);
      assert.deepEqual(await accountRows(server(), account.id), { subjectRecords: 0, events: 0 });
    });
  }

  it("rejects a body that is not an object", async () => {
    const { client } = await server().fixture();
    const result = await callUntyped(client, "workflow.create", ["ACCOUNT_PROVISIONING"]);
    expectErrors(result, 400, [
      { code: "BAD_REQUEST", message: "Request body must be a JSON object", field: null },
    ]);
  });
}
