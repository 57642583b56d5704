import { Type } from "@sinclair/typebox";
import { type CreateWorkflowPlan, DETAILS_PATH } from "../domain/create-workflow.js";
import { workflowEvent } from "../domain/events.js";
import { newId } from "../domain/ids.js";
import { type SubjectRecord, WORKFLOW_TYPES, type Workflow } from "../domain/records.js";
import { requiredSubjectRecordType } from "../domain/workflow-rules.js";
import { badRequest } from "../errors.js";
import { callerScope } from "./access.js";
import { defineMethod } from "./define.js";
import { presentWorkflow, WorkflowObject } from "./objects.js";
import { AccountId, Strict, StringEnum, SubjectRecordId } from "./schema.js";
import { detailFields } from "./workflow-fields.js";

const { email, first_name, last_name, pricing_model_id, equipment_collection_id, referrer_value } =
  detailFields;

export const workflowCreate = defineMethod({
  name: "workflow.create",
  summary:
    "Create a workflow on a subject record (a new BUSINESS subject record when none is given). Starts in STARTED unless state says CREATED.",
  auth: true,
  write: true,
  request: Strict({
    account_id: AccountId,
    workflow: Strict({
      type: StringEnum(WORKFLOW_TYPES, "Workflow type"),
      state: Type.Optional(StringEnum(["CREATED", "STARTED"] as const, "Initial state (default STARTED)")),
      subject_record_id: Type.Optional(SubjectRecordId),
      details: Type.Optional(
        // business_application_details is required only for BUSINESS_APPLICATION, which the
        // handler checks: for other types `details` itself must be absent, and saying so beats
        // asking for a key that must not be sent.
        Strict({
          business_application_details: Type.Optional(
            Strict({
              applying_user: Strict({
                email,
                first_name: Type.Optional(first_name),
                last_name: Type.Optional(last_name),
              }),
              pricing_model_id: Type.Optional(pricing_model_id),
              equipment_collection_id: Type.Optional(equipment_collection_id),
              referrer_value: Type.Optional(referrer_value),
            }),
          ),
        }),
      ),
    }),
  }),
  response: Type.Object({ workflow: WorkflowObject }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "type not in WORKFLOW_TYPES, state not CREATED/STARTED, details missing for BUSINESS_APPLICATION or present for another type, invalid email or lengths, unknown fields",
    },
    {
      code: "ENTITY_NOT_FOUND",
      when: "account_id, subject_record_id, pricing_model_id or equipment_collection_id does not exist or is not visible",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Workflow",
      sub_code: "INVALID_WORKFLOW_TYPE",
      when: "BUSINESS_UNDERWRITING workflows are created only by completing a business application",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Workflow",
      sub_code: "CROSS_ACCOUNT_REFERENCE",
      when: "The subject record belongs to another account than account_id",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Workflow",
      sub_code: "INVALID_SUBJECT_RECORD_TYPE",
      when: "The subject record's type does not suit the workflow type",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Workflow",
      sub_code: "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT",
      when: "The subject record already has a BUSINESS_APPLICATION workflow",
    },
    {
      code: "ACCOUNT_CONFIGURATION_VIOLATION",
      entity_type: "Workflow",
      sub_code: "DUPLICATE_EMAIL",
      when: "The account requires unique applicant emails and another business application uses this one",
    },
  ],
  async handler(context, body) {
    const input = body.workflow;
    const isApplication = input.type === "BUSINESS_APPLICATION";
    // 1. The part of the body's shape that depends on the type.
    if (isApplication && !input.details) {
      throw badRequest("workflow.details is required for BUSINESS_APPLICATION workflows", "workflow.details");
    }
    if (!isApplication && input.details) {
      throw badRequest(`workflow.details must be absent for ${input.type} workflows`, "workflow.details");
    }
    if (isApplication && !input.details?.business_application_details) {
      throw badRequest(`${DETAILS_PATH} is required`, DETAILS_PATH);
    }
    // 2–7. Every rule that needs the database is checked in the request's unit of work, in
    // methods.md's order, together with the writes (domain/create-workflow.ts).
    const { scope, actor } = callerScope(context);
    const now = context.clock.now().toISOString();
    const state = input.state ?? "STARTED";
    const requiredType = requiredSubjectRecordType(input.type);
    const newSubjectRecord: SubjectRecord | null =
      input.subject_record_id === undefined
        ? {
            id: newId("subjectRecord"),
            account_id: body.account_id,
            type: requiredType,
            created_at: now,
            updated_at: now,
          }
        : null;
    const given = input.details?.business_application_details;
    const workflow: Workflow = {
      id: newId("workflow"),
      account_id: body.account_id,
      subject_record_id: input.subject_record_id ?? newSubjectRecord?.id ?? "",
      type: input.type,
      state,
      details: given
        ? {
            applying_user: {
              email: given.applying_user.email,
              first_name: given.applying_user.first_name ?? null,
              last_name: given.applying_user.last_name ?? null,
            },
            pricing_model_id: given.pricing_model_id ?? null,
            equipment_collection_id: given.equipment_collection_id ?? null,
            referrer_value: given.referrer_value ?? null,
          }
        : null,
      started_at: state === "STARTED" ? now : null,
      ended_at: null,
      created_at: now,
      updated_at: now,
    };
    const plan: CreateWorkflowPlan = {
      scope,
      accountId: body.account_id,
      creatable: input.type !== "BUSINESS_UNDERWRITING",
      subjectRecordId: input.subject_record_id ?? null,
      requiredSubjectRecordType: requiredType,
      newSubjectRecord,
      workflow,
      event: workflowEvent(
        state === "STARTED" ? "WORKFLOW_STARTED" : "WORKFLOW_CREATED",
        workflow,
        actor,
        now,
      ),
    };
    return { workflow: presentWorkflow(await context.write("createWorkflow", plan)) };
  },
});
