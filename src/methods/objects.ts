/** The public objects (workflow, subject record): their schemas and how records become them. */
import { Type } from "@sinclair/typebox";
import {
  SUBJECT_RECORD_TYPES,
  type SubjectRecord,
  WORKFLOW_STATES,
  WORKFLOW_TYPES,
  type Workflow,
} from "../domain/records.js";
import { Nullable, StringEnum, Timestamp } from "./schema.js";

export const WorkflowObject = Type.Object(
  {
    workflow_id: Type.String(),
    type: StringEnum(WORKFLOW_TYPES),
    state: StringEnum(WORKFLOW_STATES),
    subject_record_id: Type.String(),
    account_id: Type.String(),
    details: Nullable(
      Type.Object(
        {
          business_application_details: Type.Object(
            {
              applying_user: Type.Object(
                {
                  email: Type.String(),
                  first_name: Nullable(Type.String()),
                  last_name: Nullable(Type.String()),
                },
                { title: "ApplyingUser" },
              ),
              pricing_model_id: Nullable(Type.String()),
              equipment_collection_id: Nullable(Type.String()),
              referrer_value: Nullable(Type.String()),
            },
            { title: "BusinessApplicationDetails" },
          ),
        },
        { title: "WorkflowDetails" },
      ),
    ),
    started_at: Nullable(Timestamp),
    ended_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "Workflow" },
);

export function presentWorkflow(workflow: Workflow) {
  return {
    workflow_id: workflow.id,
    type: workflow.type,
    state: workflow.state,
    subject_record_id: workflow.subject_record_id,
    account_id: workflow.account_id,
    details: workflow.details ? { business_application_details: workflow.details } : null,
    started_at: workflow.started_at,
    ended_at: workflow.ended_at,
    created_at: workflow.created_at,
    updated_at: workflow.updated_at,
  };
}

export const SubjectRecordObject = Type.Object(
  {
    subject_record_id: Type.String(),
    account_id: Type.String(),
    subject_record_type: StringEnum(SUBJECT_RECORD_TYPES),
    type: StringEnum(SUBJECT_RECORD_TYPES),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "SubjectRecord" },
);

export function presentSubjectRecord(record: SubjectRecord) {
  return {
    subject_record_id: record.id,
    account_id: record.account_id,
    subject_record_type: record.type,
    type: record.type,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

export const MissingRequirementObject = Type.Object(
  {
    requirement: Type.String(),
    code: Type.String(),
    entity_type: Type.String(),
    entity_id: Type.Union([Type.String(), Type.Null()]),
    message: Type.String(),
    related_methods: Type.Array(Type.String()),
    fields: Type.Optional(Type.Array(Type.String())),
  },
  { title: "MissingRequirement" },
);
