/**
 * An entity named in a request exists *and* is visible to the caller, or the request is answered
 * ENTITY_NOT_FOUND on the field that named it. Each is one store query by ID and visibility, so
 * another organization's ID does the same work as an ID that was never issued (`getVisible…`).
 * Read methods and write procedures share these, so the rule and its error are stated once.
 */
import { notFound } from "../errors.js";
import type { Business, IssuedIdentifier, Person, SalesInfo } from "./data-records.js";
import type { DomainReads } from "./domain-store.js";
import type { Account, SubjectRecord, Workflow } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

export async function visibleAccount(
  reads: Pick<DomainReads, "getVisibleAccount">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<Account> {
  const account = await reads.getVisibleAccount(id, scope);
  if (!account) throw notFound("Account", field);
  return account;
}

export async function visibleSubjectRecord(
  reads: Pick<DomainReads, "getVisibleSubjectRecord">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<SubjectRecord> {
  const record = await reads.getVisibleSubjectRecord(id, scope);
  if (!record) throw notFound("Subject Record", field);
  return record;
}

export async function visibleWorkflow(
  reads: Pick<DomainReads, "getVisibleWorkflow">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<Workflow> {
  const workflow = await reads.getVisibleWorkflow(id, scope);
  if (!workflow) throw notFound("Workflow", field);
  return workflow;
}

// Subject-record data (data.md §3.1): an entity is visible when its subject record is.

export async function visibleBusiness(
  reads: Pick<DomainReads, "getVisibleBusiness">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<Business> {
  const business = await reads.getVisibleBusiness(id, scope);
  if (!business) throw notFound("Business", field);
  return business;
}

export async function visibleSalesInfo(
  reads: Pick<DomainReads, "getVisibleSalesInfo">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<SalesInfo> {
  const info = await reads.getVisibleSalesInfo(id, scope);
  if (!info) throw notFound("Sales Info", field);
  return info;
}

export async function visiblePerson(
  reads: Pick<DomainReads, "getVisiblePerson">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<Person> {
  const person = await reads.getVisiblePerson(id, scope);
  if (!person) throw notFound("Person", field);
  return person;
}

export async function visibleIssuedIdentifier(
  reads: Pick<DomainReads, "getVisibleIssuedIdentifier">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<IssuedIdentifier> {
  const identifier = await reads.getVisibleIssuedIdentifier(id, scope);
  if (!identifier) throw notFound("Issued Identifier", field);
  return identifier;
}
