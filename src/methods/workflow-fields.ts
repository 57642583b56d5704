/** Schemas and checks shared by workflow.create and workflow.update. */

import { DETAILS_PATH } from "../domain/create-workflow.js";
import { newId } from "../domain/ids.js";
import type { Account, CredentialRecord, EventRecord, EventType, Workflow } from "../domain/records.js";
import { notFound } from "../errors.js";
import type { StoreReads } from "../store/store.js";
import { Email, EquipmentCollectionId, PricingModelId, Text } from "./schema.js";

export const detailFields = {
  email: Email,
  first_name: Text(100, "First name of the applying user"),
  last_name: Text(100, "Last name of the applying user"),
  pricing_model_id: PricingModelId,
  equipment_collection_id: EquipmentCollectionId,
  referrer_value: Text(100, "How the application was referred (marketplace, website, sales person)"),
};

/** Pricing model and equipment collection must exist in the workflow's own account. */
export async function assertAccountSetupReferences(
  reads: StoreReads,
  accountId: string,
  details: { pricing_model_id?: string | null; equipment_collection_id?: string | null },
): Promise<void> {
  if (details.pricing_model_id && !(await reads.pricingModelExists(accountId, details.pricing_model_id))) {
    throw notFound("Pricing model", `${DETAILS_PATH}.pricing_model_id`);
  }
  if (
    details.equipment_collection_id &&
    !(await reads.equipmentCollectionExists(accountId, details.equipment_collection_id))
  ) {
    throw notFound("Equipment collection", `${DETAILS_PATH}.equipment_collection_id`);
  }
}

/** The lower-cased email the unique-email index claims, when the account enforces the rule. */
export function emailClaimFor(account: Account, workflow: Workflow): string | null {
  if (account.allow_multiple_applications_per_email || !workflow.details) return null;
  return workflow.details.applying_user.email.toLowerCase();
}

/** The event a change writes, attributed to the credential that made it (or the system). */
export function workflowEvent(
  eventType: EventType,
  workflow: Workflow,
  actor: CredentialRecord | "SYSTEM",
  at: string,
): EventRecord {
  return {
    id: newId("event"),
    event_type: eventType,
    account_id: workflow.account_id,
    subject_record_id: workflow.subject_record_id,
    workflow_id: workflow.id,
    workflow_type: workflow.type,
    actor_type: actor === "SYSTEM" ? "SYSTEM" : "API_KEY",
    actor_id: actor === "SYSTEM" ? "SYSTEM" : (actor.name ?? actor.api_key),
    created_at: at,
  };
}
