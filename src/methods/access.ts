/**
 * Lookups that every method shares: an entity exists *and* is visible to the caller, or ENF. Each
 * is one store query by ID and visibility, so another organization's ID does the same work as an
 * ID that was never issued (store.ts, `getVisible…`).
 */

import { type Actor, actorOf } from "../domain/events.js";
import type { Account, CredentialRecord, SubjectRecord, Workflow } from "../domain/records.js";
import { scopeOf, type VisibilityScope } from "../domain/visibility.js";
import { notFound } from "../errors.js";
import type { StoreReads } from "../store/store.js";
import type { MethodContext } from "./define.js";

function callerOf(context: MethodContext): CredentialRecord {
  if (!context.credential) throw new Error("method declared auth: true ran without a credential");
  return context.credential;
}

export async function assertVisibleAccount(
  context: MethodContext,
  accountId: string,
  field: string,
  reads: StoreReads = context.store,
): Promise<Account> {
  const account = await reads.getVisibleAccount(accountId, callerOf(context));
  if (!account) throw notFound("Account", field);
  return account;
}

export async function assertVisibleSubjectRecord(
  context: MethodContext,
  subjectRecordId: string,
  field: string,
  reads: StoreReads = context.store,
): Promise<SubjectRecord> {
  const record = await reads.getVisibleSubjectRecord(subjectRecordId, callerOf(context));
  if (!record) throw notFound("Subject Record", field);
  return record;
}

export async function assertVisibleWorkflow(
  context: MethodContext,
  workflowId: string,
  field: string,
  reads: StoreReads = context.store,
): Promise<Workflow> {
  const workflow = await reads.getVisibleWorkflow(workflowId, callerOf(context));
  if (!workflow) throw notFound("Workflow", field);
  return workflow;
}

/**
 * The caller of a method declared `auth: true`, as a unit of work carries it: its scope and who it
 * is, never its secrets. (A unit is plain data; on SQLite it crosses to the writer thread.)
 */
export function callerScope(context: MethodContext): { scope: VisibilityScope; actor: Actor } {
  const credential = callerOf(context);
  return { scope: scopeOf(credential), actor: actorOf(credential) };
}
