/** Lookups that every method shares: an entity exists *and* is visible to the caller, or ENF. */
import type { Account, CredentialRecord, SubjectRecord, Workflow } from "../domain/records.js";
import { canSeeAccount } from "../domain/visibility.js";
import { notFound } from "../errors.js";
import type { StoreReads } from "../store/store.js";
import type { MethodContext } from "./define.js";

function callerOf(context: MethodContext): CredentialRecord {
  if (!context.credential) throw new Error("method declared auth: true ran without a credential");
  return context.credential;
}

async function visibleAccount(reads: StoreReads, credential: CredentialRecord, accountId: string) {
  const account = await reads.getAccount(accountId);
  return account && canSeeAccount(credential, account) ? account : undefined;
}

export async function assertVisibleAccount(
  context: MethodContext,
  accountId: string,
  field: string,
  reads: StoreReads = context.store,
): Promise<Account> {
  const account = await visibleAccount(reads, callerOf(context), accountId);
  if (!account) throw notFound("Account", field);
  return account;
}

export async function assertVisibleSubjectRecord(
  context: MethodContext,
  subjectRecordId: string,
  field: string,
  reads: StoreReads = context.store,
): Promise<SubjectRecord> {
  const record = await reads.getSubjectRecord(subjectRecordId);
  if (!record || !(await visibleAccount(reads, callerOf(context), record.account_id))) {
    throw notFound("Subject Record", field);
  }
  return record;
}

export async function assertVisibleWorkflow(
  context: MethodContext,
  workflowId: string,
  field: string,
  reads: StoreReads = context.store,
): Promise<Workflow> {
  const workflow = await reads.getWorkflow(workflowId);
  if (!workflow || !(await visibleAccount(reads, callerOf(context), workflow.account_id))) {
    throw notFound("Workflow", field);
  }
  return workflow;
}
