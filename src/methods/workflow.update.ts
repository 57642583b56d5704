import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { Nullable, Strict, WorkflowId } from "./schema.js";
import { NOT_AN_APPLICATION, WORKFLOW_HAS_ENDED } from "./workflow-error-docs.js";
import { detailFields } from "./workflow-fields.js";

const { email, first_name, last_name, pricing_model_id, equipment_collection_id, referrer_value } =
  detailFields;

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
    await context.write("updateWorkflow", {
      ...callerScope(context),
      workflowId: body.workflow_id,
      patch: body.workflow.details.business_application_details,
      now: context.clock.now().toISOString(),
    });
    return {};
  },
});
