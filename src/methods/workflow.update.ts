import { Type } from "@sinclair/typebox";
import type { BusinessApplicationDetails } from "../domain/records.js";
import { assertBusinessApplication, assertUpdatable } from "../domain/workflow-rules.js";
import { configViolation } from "../errors.js";
import { assertVisibleAccount, assertVisibleWorkflow } from "./access.js";
import { defineMethod } from "./define.js";
import { Nullable, Strict, WorkflowId } from "./schema.js";
import { NOT_AN_APPLICATION, WORKFLOW_HAS_ENDED } from "./workflow-error-docs.js";
import { assertAccountSetupReferences, detailFields, emailClaimFor } from "./workflow-fields.js";

const { email, first_name, last_name, pricing_model_id, equipment_collection_id, referrer_value } =
  detailFields;

type DetailsPatch = {
  applying_user?: { email?: string; first_name?: string | null; last_name?: string | null };
  pricing_model_id?: string | null;
  equipment_collection_id?: string | null;
  referrer_value?: string | null;
};

/** A given field replaces the stored one; null clears an optional one; absent keeps it. */
function applyPatch(current: BusinessApplicationDetails, patch: DetailsPatch): BusinessApplicationDetails {
  const user = patch.applying_user ?? {};
  const pick = <T>(given: T | undefined, stored: T) => (given === undefined ? stored : given);
  return {
    applying_user: {
      email: pick(user.email, current.applying_user.email),
      first_name: pick(user.first_name, current.applying_user.first_name),
      last_name: pick(user.last_name, current.applying_user.last_name),
    },
    pricing_model_id: pick(patch.pricing_model_id, current.pricing_model_id),
    equipment_collection_id: pick(patch.equipment_collection_id, current.equipment_collection_id),
    referrer_value: pick(patch.referrer_value, current.referrer_value),
  };
}

export const workflowUpdate = defineMethod({
  name: "workflow.update",
  summary:
    "Update a CREATED business application's details. Given fields replace stored ones; null clears an optional field.",
  auth: true,
  write: true,
  request: Strict({
    workflow_id: WorkflowId,
    workflow: Strict({
      details: Strict({
        business_application_details: Strict({
          applying_user: Type.Optional(
            Strict({
              email: Type.Optional(email),
              first_name: Type.Optional(Nullable(first_name)),
              last_name: Type.Optional(Nullable(last_name)),
            }),
          ),
          pricing_model_id: Type.Optional(Nullable(pricing_model_id)),
          equipment_collection_id: Type.Optional(Nullable(equipment_collection_id)),
          referrer_value: Type.Optional(Nullable(referrer_value)),
        }),
      }),
    }),
  }),
  response: Strict({}),
  errors: [
    { code: "BAD_REQUEST", when: "Missing, malformed or unknown fields; applying_user.email set to null" },
    {
      code: "ENTITY_NOT_FOUND",
      when: "The workflow, pricing model or equipment collection does not exist or is not visible",
    },
    NOT_AN_APPLICATION,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Workflow",
      sub_code: "WORKFLOW_ALREADY_STARTED",
      when: "The workflow is STARTED",
    },
    WORKFLOW_HAS_ENDED,
    {
      code: "ACCOUNT_CONFIGURATION_VIOLATION",
      entity_type: "Workflow",
      sub_code: "DUPLICATE_EMAIL",
      when: "The new email is used by another business application of an account that requires unique emails",
    },
  ],
  async handler(context, body) {
    const workflow = await assertVisibleWorkflow(context, body.workflow_id, "workflow_id");
    assertBusinessApplication(workflow, "workflow.update");
    assertUpdatable(workflow);
    if (!workflow.details) throw new Error(`business application ${workflow.id} has no details`);
    const patch = body.workflow.details.business_application_details;
    await assertAccountSetupReferences(context.store, workflow.account_id, patch);
    const account = await assertVisibleAccount(context, workflow.account_id, "workflow_id");

    const now = context.clock.now().toISOString();
    const updated = { ...workflow, details: applyPatch(workflow.details, patch), updated_at: now };
    const newEmail = updated.details.applying_user.email.toLowerCase();
    const emailChanged = newEmail !== workflow.details.applying_user.email.toLowerCase();

    await context.store.transaction(async (tx) => {
      if (emailChanged && !account.allow_multiple_applications_per_email) {
        if (await tx.applicantEmailInUse(account.id, newEmail, workflow.id)) {
          throw configViolation(
            "Workflow",
            "DUPLICATE_EMAIL",
            "The applying user's email is already used by another BUSINESS_APPLICATION workflow of this account",
          );
        }
      }
      const emailClaim = emailChanged ? emailClaimFor(account, updated) : undefined;
      if (!(await tx.updateWorkflowDetails({ workflow: updated, emailClaim }, "CREATED"))) {
        // It was started (or ended) between the read and this write.
        const current = await tx.getWorkflow(workflow.id);
        if (current) assertUpdatable(current);
        throw new Error(`workflow ${workflow.id} could not be updated`);
      }
    });
    return {};
  },
});
