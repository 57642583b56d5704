/**
 * workflow.update on a CREATED business application: partial patches, null clears optional
 * fields, the email cannot be cleared, a new email re-applies the unique-email rule, pricing model
 * and equipment collection must be the account's own, and updated_at moves while created_at stays;
 * its state and type guards; who may update which workflow.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  assertGuards,
  assertReadOnlyRefused,
  assertUnknownAndMalformedId,
  assertWorkflowHidden,
} from "../support/workflow-guards.js";
import {
  badRequest,
  callUntyped,
  createApplication,
  DETAILS,
  ERRORS,
  expectErrors,
  expectOk,
  getWorkflow,
  notFound,
} from "../support/workflows.js";

type Patch = {
  applying_user?: { email?: string; first_name?: string | null; last_name?: string | null };
  pricing_model_id?: string | null;
  equipment_collection_id?: string | null;
  referrer_value?: string | null;
};

function update(workflowId: string, patch: Patch) {
  return { workflow_id: workflowId, workflow: { details: { business_application_details: patch } } };
}

for (const kind of databaseKinds()) {
  describe(`workflow.update [${kind}]`, () => {
    const server = useTestServer(kind);

    /** A CREATED application with every detail field set. */
    async function fullApplication(options: { allowMultipleApplicationsPerEmail?: boolean } = {}) {
      const fixture = await server().fixture(options);
      const { operator } = server();
      const { pricing_model_id } = await operator.createPricingModel(fixture.account.id, "Standard");
      const { equipment_collection_id } = await operator.createEquipmentCollection(fixture.account.id, "Kit");
      const workflow = await createApplication(fixture.client, fixture.account.id, {
        state: "CREATED",
        email: "ann@example.com",
        first_name: "Ann",
        last_name: "Lee",
        pricing_model_id,
        equipment_collection_id,
        referrer_value: "UAYACG123",
      });
      return { ...fixture, workflow, pricing_model_id, equipment_collection_id };
    }

    describe("success", () => {
      it("replaces only the given fields, and moves updated_at but not created_at", async () => {
        const { client, workflow } = await fullApplication();
        server().clock.offsetMs += 1000;
        expectOk(
          await client.call(
            "workflow.update",
            update(workflow.workflow_id, { applying_user: { last_name: "Ng" } }),
          ),
        );
        const after = await getWorkflow(client, workflow.workflow_id);
        assert.ok(after.updated_at > workflow.updated_at);
        const details = workflow.details?.business_application_details;
        assert.ok(details);
        assert.deepEqual(after, {
          ...workflow,
          details: {
            business_application_details: {
              ...details,
              applying_user: { ...details.applying_user, last_name: "Ng" },
            },
          },
          updated_at: after.updated_at,
        });
      });

      it("clears every optional field given as null", async () => {
        const { client, workflow } = await fullApplication();
        const patch = {
          applying_user: { first_name: null, last_name: null },
          pricing_model_id: null,
          equipment_collection_id: null,
          referrer_value: null,
        };
        expectOk(await client.call("workflow.update", update(workflow.workflow_id, patch)));
        const after = await getWorkflow(client, workflow.workflow_id);
        assert.deepEqual(after.details, {
          business_application_details: {
            applying_user: { email: "ann@example.com", first_name: null, last_name: null },
            pricing_model_id: null,
            equipment_collection_id: null,
            referrer_value: null,
          },
        });
        assert.equal(after.state, "CREATED");
      });

      it("accepts an empty patch and changes no detail", async () => {
        const { client, workflow } = await fullApplication();
        expectOk(await client.call("workflow.update", update(workflow.workflow_id, {})));
        assert.deepEqual((await getWorkflow(client, workflow.workflow_id)).details, workflow.details);
      });

      it("allows duplicate emails on an account that allows multiple applications per email", async () => {
        const { client, account, workflow } = await fullApplication({
          allowMultipleApplicationsPerEmail: true,
        });
        await createApplication(client, account.id, { email: "taken@example.com" });
        expectOk(
          await client.call(
            "workflow.update",
            update(workflow.workflow_id, { applying_user: { email: "taken@example.com" } }),
          ),
        );
      });

      it("writes no event", async () => {
        const { client, workflow } = await fullApplication();
        const before = await server().store.listEvents({ workflowId: workflow.workflow_id });
        expectOk(await client.call("workflow.update", update(workflow.workflow_id, { referrer_value: "x" })));
        assert.deepEqual(await server().store.listEvents({ workflowId: workflow.workflow_id }), before);
      });
    });

    describe("errors", () => {
      it("refuses to clear the email, and refuses invalid values, with the field's path", async () => {
        const { client, workflow } = await fullApplication();
        const id = workflow.workflow_id;
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [
            update(id, { applying_user: { email: null } } as unknown as Patch),
            [badRequest(`${DETAILS}.applying_user.email`, "must be string")],
          ],
          [
            update(id, { referrer_value: "r".repeat(101) }),
            [badRequest(`${DETAILS}.referrer_value`, "must NOT have more than 100 characters")],
          ],
          [
            update(id, { applying_user: { first_name: "" } }),
            [badRequest(`${DETAILS}.applying_user.first_name`, "must NOT have fewer than 1 characters")],
          ],
          [
            update(id, { pricing_model_id: "ec_1" }),
            [badRequest(`${DETAILS}.pricing_model_id`, 'must match pattern "^(pm_)[0-9A-Za-z]{1,22}$"')],
          ],
          [
            { workflow_id: id, workflow: { details: { business_application_details: {}, other: 1 } } },
            [badRequest("workflow.details.other", "is not a known field")],
          ],
          [
            {
              workflow_id: id,
              workflow: { state: "STARTED", details: { business_application_details: {} } },
            },
            [badRequest("workflow.state", "is not a known field")],
          ],
          [{ workflow_id: id, workflow: {} }, [badRequest("workflow.details", "is required")]],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "workflow.update", body), 400, errors);
        }
        assert.deepEqual(await getWorkflow(client, id), workflow);
      });

      it("accepts only the workflow account's own pricing model and equipment collection", async () => {
        const { client, workflow, organization } = await fullApplication();
        const other = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const { pricing_model_id } = await server().operator.createPricingModel(other.id, "Other's");
        const { equipment_collection_id } = await server().operator.createEquipmentCollection(
          other.id,
          "Other's",
        );
        expectErrors(
          await client.call("workflow.update", update(workflow.workflow_id, { pricing_model_id })),
          400,
          [notFound("Pricing model", `${DETAILS}.pricing_model_id`)],
        );
        expectErrors(
          await client.call("workflow.update", update(workflow.workflow_id, { equipment_collection_id })),
          400,
          [notFound("Equipment collection", `${DETAILS}.equipment_collection_id`)],
        );
        assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow);
        const own = await server().operator.createPricingModel(workflow.account_id, "Premium");
        expectOk(await client.call("workflow.update", update(workflow.workflow_id, own)));
        const after = await getWorkflow(client, workflow.workflow_id);
        assert.equal(after.details?.business_application_details.pricing_model_id, own.pricing_model_id);
      });

      it("re-applies the unique-email rule when the email changes", async () => {
        const { client, account, workflow } = await fullApplication({
          allowMultipleApplicationsPerEmail: false,
        });
        await createApplication(client, account.id, { email: "taken@example.com" });
        for (const email of ["taken@example.com", "TAKEN@Example.com"]) {
          expectErrors(
            await client.call("workflow.update", update(workflow.workflow_id, { applying_user: { email } })),
            400,
            [ERRORS.duplicateEmail],
          );
        }
        assert.deepEqual(await getWorkflow(client, workflow.workflow_id), workflow);
        // Its own email in another case is no duplicate; a free email is claimed and frees the old one.
        expectOk(
          await client.call(
            "workflow.update",
            update(workflow.workflow_id, { applying_user: { email: "ANN@example.com" } }),
          ),
        );
        expectOk(
          await client.call(
            "workflow.update",
            update(workflow.workflow_id, { applying_user: { email: "new@example.com" } }),
          ),
        );
        assert.equal(
          (await getWorkflow(client, workflow.workflow_id)).details?.business_application_details
            .applying_user.email,
          "new@example.com",
        );
        await createApplication(client, account.id, { email: "ann@example.com" });
        expectErrors(
          await client.call("workflow.create", {
            account_id: account.id,
            workflow: {
              type: "BUSINESS_APPLICATION",
              details: { business_application_details: { applying_user: { email: "New@Example.com" } } },
            },
          }),
          400,
          [ERRORS.duplicateEmail],
        );
      });

      it("lets an application keep a duplicate email that predates the unique-email setting", async () => {
        const { client, account, workflow } = await fullApplication({
          allowMultipleApplicationsPerEmail: true,
        });
        await createApplication(client, account.id, { email: "ann@example.com" });
        await server().operator.updateAccount(account.id, { allowMultipleApplicationsPerEmail: false });
        // Touching other fields is fine; moving to another taken email is not.
        expectOk(
          await client.call("workflow.update", update(workflow.workflow_id, { referrer_value: "web" })),
        );
        await createApplication(client, account.id, { email: "zed@example.com" });
        expectErrors(
          await client.call(
            "workflow.update",
            update(workflow.workflow_id, { applying_user: { email: "zed@example.com" } }),
          ),
          400,
          [ERRORS.duplicateEmail],
        );
      });

      it("answers each type and state with its guard", () => assertGuards(server(), "workflow.update"));

      it("answers ENTITY_NOT_FOUND for an unknown workflow and BAD_REQUEST for a malformed ID", () =>
        assertUnknownAndMalformedId(server(), "workflow.update"));
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", () =>
        assertReadOnlyRefused(server(), "workflow.update"));

      it("hides another organization's, an unlisted account's and a live account's workflow", () =>
        assertWorkflowHidden(server(), "workflow.update"));
    });
  });
}
