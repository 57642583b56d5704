/**
 * Strict body validation (wire.md, methods.md) of workflow.create: each bad body is BAD_REQUEST
 * naming the exact field, several faults are reported together, and nothing is written.
 */
import { describe } from "node:test";
import { newId } from "../src/domain/ids.js";
import { WORKFLOW_TYPES } from "../src/domain/records.js";
import { badInputCases, sharedFixture } from "./support/bad-input-runner.js";
import { type BadInputCase, expected, malformedIds } from "./support/bad-request.js";
import { databaseKinds } from "./support/databases.js";
import { useTestServer } from "./support/server.js";

const DETAILS = "workflow.details.business_application_details";
const USER = `${DETAILS}.applying_user`;
const STATES = ["CREATED", "STARTED"];

// biome-ignore lint/suspicious/noExplicitAny: the tables deliberately build ill-typed bodies.
type LooseBody = any;

/** A valid BUSINESS_APPLICATION body with `edit` applied to it. */
function application(accountId: string, edit: (body: LooseBody) => void = () => undefined): unknown {
  const body: LooseBody = {
    account_id: accountId,
    workflow: {
      type: "BUSINESS_APPLICATION",
      details: { business_application_details: { applying_user: { email: "ann@example.com" } } },
    },
  };
  edit(body);
  return body;
}

for (const kind of databaseKinds()) {
  describe(`bad input: workflow.create [${kind}]`, () => {
    const server = useTestServer(kind);
    const suite = { server, fixture: sharedFixture(server) };

    badInputCases(suite, "workflow.create", ({ account }) => {
      const a = account.id;
      const app = (edit: (body: LooseBody) => void) => application(a, edit);
      const provisioning = { account_id: a, workflow: { type: "ACCOUNT_PROVISIONING" } };
      const emailPattern = expected.other(`${USER}.email`, `${USER}.email must be a valid email address`);
      return [
        ["account_id missing", { workflow: provisioning.workflow }, [expected.required("account_id")]],
        ["workflow missing", { account_id: a }, [expected.required("workflow")]],
        ["workflow.type missing", { account_id: a, workflow: {} }, [expected.required("workflow.type")]],
        [
          "applying_user missing",
          app((b) => {
            b.workflow.details.business_application_details = {};
          }),
          [expected.required(`${USER.replace(/\.applying_user$/, "")}.applying_user`)],
        ],
        [
          "email missing",
          app((b) => {
            b.workflow.details.business_application_details.applying_user = { first_name: "Ann" };
          }),
          [expected.required(`${USER}.email`)],
        ],
        [
          "business_application_details missing",
          app((b) => {
            b.workflow.details = {};
          }),
          [expected.required(DETAILS)],
        ],
        ["workflow null", { account_id: a, workflow: null }, [expected.type("workflow", "object")]],
        [
          "workflow.type a number",
          { account_id: a, workflow: { type: 1 } },
          [expected.type("workflow.type", "string")],
        ],
        [
          "workflow.details null",
          app((b) => {
            b.workflow.details = null;
          }),
          [expected.type("workflow.details", "object")],
        ],
        [
          "workflow.details an array",
          app((b) => {
            b.workflow.details = [];
          }),
          [expected.type("workflow.details", "object")],
        ],
        [
          "applying_user a string",
          app((b) => {
            b.workflow.details.business_application_details.applying_user = "ann@example.com";
          }),
          [expected.type(USER, "object")],
        ],
        [
          "email a number",
          app((b) => {
            b.workflow.details.business_application_details.applying_user.email = 5;
          }),
          [expected.type(`${USER}.email`, "string")],
        ],
        [
          "first_name null",
          app((b) => {
            b.workflow.details.business_application_details.applying_user.first_name = null;
          }),
          [expected.type(`${USER}.first_name`, "string")],
        ],
        [
          "workflow.type outside the enumeration",
          { account_id: a, workflow: { type: "KYC" } },
          [expected.oneOf("workflow.type", WORKFLOW_TYPES)],
        ],
        [
          "workflow.type in lower case",
          { account_id: a, workflow: { type: "account_provisioning" } },
          [expected.oneOf("workflow.type", WORKFLOW_TYPES)],
        ],
        [
          "workflow.type with trailing whitespace",
          { account_id: a, workflow: { type: "ACCOUNT_PROVISIONING " } },
          [expected.oneOf("workflow.type", WORKFLOW_TYPES)],
        ],
        [
          "workflow.state ENDED",
          { account_id: a, workflow: { ...provisioning.workflow, state: "ENDED" } },
          [expected.oneOf("workflow.state", STATES)],
        ],
        [
          "workflow.state in lower case",
          { account_id: a, workflow: { ...provisioning.workflow, state: "started" } },
          [expected.oneOf("workflow.state", STATES)],
        ],
        [
          "an unknown top-level field",
          { ...provisioning, subject_record_id: newId("subjectRecord") },
          [expected.unknown("subject_record_id")],
        ],
        [
          "an unknown field in workflow",
          { account_id: a, workflow: { ...provisioning.workflow, id: "w_1" } },
          [expected.unknown("workflow.id")],
        ],
        [
          "an unknown field in details",
          app((b) => {
            b.workflow.details.person_details = {};
          }),
          [expected.unknown("workflow.details.person_details")],
        ],
        [
          "an unknown field in business_application_details",
          app((b) => {
            b.workflow.details.business_application_details.notes = "x";
          }),
          [expected.unknown(`${DETAILS}.notes`)],
        ],
        [
          "an unknown field in applying_user",
          app((b) => {
            b.workflow.details.business_application_details.applying_user.phone = "1";
          }),
          [expected.unknown(`${USER}.phone`)],
        ],
        ...[
          "ann",
          "ann@example",
          "ann example@x.com",
          "@example.com",
          "ann@@example.com",
          " ann@example.com",
        ].map(
          (email): BadInputCase => [
            `email ${JSON.stringify(email)}`,
            app((b) => {
              b.workflow.details.business_application_details.applying_user.email = email;
            }),
            [emailPattern],
          ],
        ),
        [
          "email over 254 characters",
          app((b) => {
            b.workflow.details.business_application_details.applying_user.email = `${"a".repeat(250)}@x.co`;
          }),
          [expected.maxLength(`${USER}.email`, 254)],
        ],
        [
          "first_name empty",
          app((b) => {
            b.workflow.details.business_application_details.applying_user.first_name = "";
          }),
          [expected.minLength(`${USER}.first_name`, 1)],
        ],
        [
          "last_name over 100 characters",
          app((b) => {
            b.workflow.details.business_application_details.applying_user.last_name = "l".repeat(101);
          }),
          [expected.maxLength(`${USER}.last_name`, 100)],
        ],
        [
          "referrer_value over 100 characters",
          app((b) => {
            b.workflow.details.business_application_details.referrer_value = "r".repeat(101);
          }),
          [expected.maxLength(`${DETAILS}.referrer_value`, 100)],
        ],
        [
          "details missing for BUSINESS_APPLICATION",
          { account_id: a, workflow: { type: "BUSINESS_APPLICATION" } },
          [
            expected.other(
              "workflow.details",
              "workflow.details is required for BUSINESS_APPLICATION workflows",
            ),
          ],
        ],
        [
          "details given for ACCOUNT_PROVISIONING",
          app((b) => {
            b.workflow.type = "ACCOUNT_PROVISIONING";
          }),
          [
            expected.other(
              "workflow.details",
              "workflow.details must be absent for ACCOUNT_PROVISIONING workflows",
            ),
          ],
        ],
        [
          "details given for BUSINESS_UNDERWRITING",
          app((b) => {
            b.workflow.type = "BUSINESS_UNDERWRITING";
          }),
          [
            expected.other(
              "workflow.details",
              "workflow.details must be absent for BUSINESS_UNDERWRITING workflows",
            ),
          ],
        ],
        [
          "several faults at once",
          app((b) => {
            b.workflow.state = "ENDED";
            b.workflow.details.y = 2;
            const details = b.workflow.details.business_application_details;
            details.applying_user = { email: "bad", first_name: "", x: 1 };
            details.referrer_value = "r".repeat(101);
          }),
          [
            expected.oneOf("workflow.state", STATES),
            expected.unknown("workflow.details.y"),
            expected.unknown(`${USER}.x`),
            emailPattern,
            expected.minLength(`${USER}.first_name`, 1),
            expected.maxLength(`${DETAILS}.referrer_value`, 100),
          ],
        ],
        ...malformedIds(a, "sr_").map(
          ([name, id]): BadInputCase => [
            `account_id with ${name}`,
            { ...provisioning, account_id: id },
            [expected.idPattern("account_id", "sb_", "lv_")],
          ],
        ),
        ...malformedIds(newId("subjectRecord"), "w_").map(
          ([name, id]): BadInputCase => [
            `workflow.subject_record_id with ${name}`,
            { account_id: a, workflow: { ...provisioning.workflow, subject_record_id: id } },
            [expected.idPattern("workflow.subject_record_id", "sr_")],
          ],
        ),
        ...malformedIds(newId("pricingModel"), "ec_").map(
          ([name, id]): BadInputCase => [
            `pricing_model_id with ${name}`,
            app((b) => {
              b.workflow.details.business_application_details.pricing_model_id = id;
            }),
            [expected.idPattern(`${DETAILS}.pricing_model_id`, "pm_")],
          ],
        ),
        ...malformedIds(newId("equipmentCollection"), "pm_").map(
          ([name, id]): BadInputCase => [
            `equipment_collection_id with ${name}`,
            app((b) => {
              b.workflow.details.business_application_details.equipment_collection_id = id;
            }),
            [expected.idPattern(`${DETAILS}.equipment_collection_id`, "ec_")],
          ],
        ),
      ];
    });
  });
}
