/**
 * workflow.create's checks and writes as separate queries inside one transaction (the SQLite
 * path; group commit makes the transaction cheap). The PostgreSQL adapter does the same in one
 * statement (create-workflow-postgres.ts); the test suite runs both against the same cases.
 */
import type { CreateWorkflowPlan, CreateWorkflowVerdict } from "../../domain/create-workflow.js";
import type { StoreTx } from "../store.js";

export async function createWorkflowInTransaction(
  tx: StoreTx,
  plan: CreateWorkflowPlan,
): Promise<CreateWorkflowVerdict> {
  if (plan.credentialToConfirm !== null) {
    const credential = await tx.getCredential(plan.credentialToConfirm);
    if (!credential || credential.revoked_at !== null) return "credential_revoked";
  }
  const { nonce } = plan;
  if (nonce && !(await tx.claimNonce(nonce.apiKey, nonce.nonce, nonce.now, nonce.seenSince)))
    return "nonce_reused";
  // One query each, by ID and visibility: another organization's ID costs what a missing one does.
  const account = await tx.getVisibleAccount(plan.accountId, plan.scope);
  if (!account) return "account_not_found";
  if (!plan.creatable) return "invalid_workflow_type";
  if (plan.subjectRecordId !== null) {
    const record = await tx.getVisibleSubjectRecord(plan.subjectRecordId, plan.scope);
    if (!record) return "subject_record_not_found";
    if (record.account_id !== account.id) return "cross_account";
    if (record.type !== plan.requiredSubjectRecordType) return "invalid_subject_record_type";
  }
  const details = plan.workflow.details;
  if (details?.pricing_model_id && !(await tx.pricingModelExists(account.id, details.pricing_model_id))) {
    return "pricing_model_not_found";
  }
  if (
    details?.equipment_collection_id &&
    !(await tx.equipmentCollectionExists(account.id, details.equipment_collection_id))
  ) {
    return "equipment_collection_not_found";
  }
  const isApplication = plan.workflow.type === "BUSINESS_APPLICATION";
  // These two reads answer precisely in the common case; the rule indexes make the rules hold
  // when simultaneous requests both pass them.
  if (isApplication && plan.subjectRecordId !== null) {
    if (await tx.hasWorkflowOfType(plan.subjectRecordId, "BUSINESS_APPLICATION"))
      return "business_application_limit";
  }
  const emailLower = details?.applying_user.email.toLowerCase() ?? null;
  const enforceUniqueEmail = isApplication && !account.allow_multiple_applications_per_email;
  if (enforceUniqueEmail && emailLower && (await tx.applicantEmailInUse(account.id, emailLower))) {
    return "duplicate_email";
  }
  if (plan.newSubjectRecord) await tx.insertSubjectRecord(plan.newSubjectRecord);
  await tx.insertWorkflow({ workflow: plan.workflow, emailClaim: enforceUniqueEmail ? emailLower : null });
  await tx.insertEvent(plan.event);
  return "ok";
}
