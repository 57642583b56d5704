/**
 * workflow.create's checks and writes as separate queries inside one transaction (the SQLite
 * path; group commit makes the transaction cheap). The PostgreSQL adapter does the same in one
 * statement (create-workflow-postgres.ts); the test suite runs both against the same cases.
 */
import type {
  CreateWorkflowPlan,
  CreateWorkflowVerdict,
  VisibilityScope,
} from "../domain/create-workflow.js";
import type { Account } from "../domain/records.js";
import { canSeeAccount } from "../domain/visibility.js";
import type { StoreTx } from "./store.js";

async function visibleAccount(tx: StoreTx, scope: VisibilityScope, id: string): Promise<Account | undefined> {
  const account = await tx.getAccount(id);
  return account && canSeeAccount(scope, account) ? account : undefined;
}

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
  const account = await visibleAccount(tx, plan.scope, plan.accountId);
  if (!account) return "account_not_found";
  if (!plan.creatable) return "invalid_workflow_type";
  if (plan.subjectRecordId !== null) {
    const record = await tx.getSubjectRecord(plan.subjectRecordId);
    if (!record || !(await visibleAccount(tx, plan.scope, record.account_id)))
      return "subject_record_not_found";
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
