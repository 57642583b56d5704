/** The caller of a read method, and the domain's visibility lookups (domain/lookups.ts) on its behalf. */

import type {
  BankAccount,
  Business,
  BusinessOwnerInRecord,
  IssuedIdentifier,
  Person,
  SalesInfo,
} from "../domain/data-records.js";
import type { DocumentRecord } from "../domain/documents.js";
import { type Actor, actorOf } from "../domain/events.js";
import {
  visibleAccount,
  visibleBankAccount,
  visibleBusiness,
  visibleBusinessOwner,
  visibleIssuedIdentifier,
  visiblePerson,
  visibleSalesInfo,
  visibleSubjectRecord,
  visibleWorkflow,
} from "../domain/lookups.js";
import type { Account, CredentialRecord, SubjectRecord, Workflow } from "../domain/records.js";
import { scopeOf, type VisibilityScope } from "../domain/visibility.js";
import { notFound } from "../errors.js";
import type { MethodContext } from "./define.js";

function callerOf(context: MethodContext): CredentialRecord {
  if (!context.credential) throw new Error("method declared auth: true ran without a credential");
  return context.credential;
}

export function assertVisibleAccount(
  context: MethodContext,
  accountId: string,
  field: string,
): Promise<Account> {
  return visibleAccount(context.store, callerOf(context), accountId, field);
}

export function assertVisibleSubjectRecord(
  context: MethodContext,
  subjectRecordId: string,
  field: string,
): Promise<SubjectRecord> {
  return visibleSubjectRecord(context.store, callerOf(context), subjectRecordId, field);
}

export function assertVisibleWorkflow(
  context: MethodContext,
  workflowId: string,
  field: string,
): Promise<Workflow> {
  return visibleWorkflow(context.store, callerOf(context), workflowId, field);
}

// Subject-record data.

export function assertVisibleBusiness(
  context: MethodContext,
  businessId: string,
  field: string,
): Promise<Business> {
  return visibleBusiness(context.store, callerOf(context), businessId, field);
}

export function assertVisibleSalesInfo(
  context: MethodContext,
  salesInfoId: string,
  field: string,
): Promise<SalesInfo> {
  return visibleSalesInfo(context.store, callerOf(context), salesInfoId, field);
}

export function assertVisibleBankAccount(
  context: MethodContext,
  bankAccountId: string,
  field: string,
): Promise<BankAccount> {
  return visibleBankAccount(context.store, callerOf(context), bankAccountId, field);
}

export function assertVisiblePerson(
  context: MethodContext,
  personId: string,
  field: string,
): Promise<Person> {
  return visiblePerson(context.store, callerOf(context), personId, field);
}

export function assertVisibleIssuedIdentifier(
  context: MethodContext,
  issuedIdentifierId: string,
  field: string,
): Promise<IssuedIdentifier> {
  return visibleIssuedIdentifier(context.store, callerOf(context), issuedIdentifierId, field);
}

export function assertVisibleBusinessOwner(
  context: MethodContext,
  businessOwnerId: string,
  field: string,
): Promise<BusinessOwnerInRecord> {
  return visibleBusinessOwner(context.store, callerOf(context), businessOwnerId, field);
}

/**
 * The caller of a method declared `auth: true`, as a unit of work carries it: its scope and who it
 * is, never its secrets. (A unit is plain data; on SQLite it crosses to the writer thread.)
 */
export function callerScope(context: MethodContext): { scope: VisibilityScope; actor: Actor } {
  const credential = callerOf(context);
  return { scope: scopeOf(credential), actor: actorOf(credential) };
}

/** A document the caller may see (data.md §10.4), else ENTITY_NOT_FOUND on `field`. */
export async function visibleDocument(
  context: MethodContext,
  documentId: string,
  field: string,
): Promise<DocumentRecord> {
  const document = await context.store.getVisibleDocument(documentId, scopeOf(callerOf(context)));
  if (!document) throw notFound("Document", field);
  return document;
}
