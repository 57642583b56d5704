/**
 * The store calls of subject-record data (data.md), part of `DomainStore` (domain-store.ts). Each
 * `getVisible…` answers an entity only if `scope` may see its subject record's account, in one
 * query; what hangs off an entity (sales info, associations) is seen through that entity.
 */
import type {
  BankAccount,
  Business,
  BusinessBankAccount,
  BusinessOwner,
  BusinessOwnerInRecord,
  IssuedIdentifier,
  Person,
  SalesInfo,
} from "./data-records.js";
import type { DocumentReads, DocumentWrites } from "./document-store.js";
import type { LocationReads, LocationWrites } from "./location-store.js";
import type { MetadataReads, MetadataWrites } from "./metadata-store.js";
import type { Page, PageRequest, SubjectRecord, WorkflowState } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

/** Which kinds of link a business has, for business.delete's ENTITY_LINKED (data.md §3.5). */
export interface BusinessLinks {
  owners: boolean;
  bankAccounts: boolean;
  locations: boolean;
}

/** An association seen with the subject record of what it links, for the data write path. */
export type InSubjectRecord<T> = T & { subject_record_id: string };

/** Which kinds of link a bank account has, for bankAccount.delete's ENTITY_LINKED (data.md §3.5). */
export interface BankAccountLinks {
  businesses: boolean;
  locations: boolean;
}

/** The subject record's data as a whole: subjectRecord.get with verbose, subjectRecord.delete (data.md §12). */
export interface SubjectRecordDataReads {
  /** Every person of the subject record, oldest first (ties by ID). */
  listPersonsOfSubjectRecord(subjectRecordId: string): Promise<Person[]>;
  /** Every bank account of the subject record, oldest first (ties by ID). */
  listBankAccountsOfSubjectRecord(subjectRecordId: string): Promise<BankAccount[]>;
  /** Whether the subject record has a workflow, of any type and state. */
  subjectRecordHasWorkflows(subjectRecordId: string): Promise<boolean>;
}

export interface SubjectRecordDataWrites {
  /**
   * Deletes the subject record and everything in it: its business with the business's sales info
   * and associations, its persons with their issued identifiers, its bank accounts. The caller
   * holds its lock and has checked that it has no workflow.
   */
  deleteSubjectRecord(id: string): Promise<void>;
}

export interface DataReads extends SubjectRecordDataReads, LocationReads, MetadataReads, DocumentReads {
  /** The state of the subject record's BUSINESS_APPLICATION, if it has one (the ENDED guard). */
  businessApplicationState(subjectRecordId: string): Promise<WorkflowState | undefined>;
  getVisibleBusiness(id: string, scope: VisibilityScope): Promise<Business | undefined>;
  businessOfSubjectRecord(subjectRecordId: string): Promise<Business | undefined>;
  businessLinks(businessId: string): Promise<BusinessLinks>;
  getVisibleSalesInfo(id: string, scope: VisibilityScope): Promise<SalesInfo | undefined>;
  getSalesInfo(id: string): Promise<SalesInfo | undefined>;
  /** Every owner association of the business, oldest first (ties by ID). */
  listBusinessOwners(businessId: string): Promise<BusinessOwner[]>;
  /** Every bank-account association of the business, oldest first (ties by ID). */
  listBusinessBankAccounts(businessId: string): Promise<BusinessBankAccount[]>;
  /** The persons with these IDs that exist, in no particular order. */
  getPersons(ids: readonly string[]): Promise<Person[]>;
  /** The bank accounts with these IDs that exist, in no particular order. */
  getBankAccounts(ids: readonly string[]): Promise<BankAccount[]>;

  // Bank accounts and their business associations (data.md §5.3, §7).
  getVisibleBankAccount(id: string, scope: VisibilityScope): Promise<BankAccount | undefined>;
  /** One page of the record's bank accounts, oldest first (ties by ID). */
  listBankAccountsPage(subjectRecordId: string, page: PageRequest): Promise<Page<BankAccount>>;
  countBankAccounts(subjectRecordId: string): Promise<number>;
  bankAccountLinks(bankAccountId: string): Promise<BankAccountLinks>;
  getVisibleBusinessBankAccount(
    id: string,
    scope: VisibilityScope,
  ): Promise<InSubjectRecord<BusinessBankAccount> | undefined>;
  /** One page of the business's bank-account associations, oldest first (ties by ID). */
  listBusinessBankAccountsPage(businessId: string, page: PageRequest): Promise<Page<BusinessBankAccount>>;
  countBusinessBankAccounts(businessId: string): Promise<number>;
  // person.* and person.issuedIdentifier.* (data.md §6).
  getVisiblePerson(id: string, scope: VisibilityScope): Promise<Person | undefined>;
  /** How many persons the subject record holds (MAX_PERSON_LIMIT, under the record's lock). */
  countPersons(subjectRecordId: string): Promise<number>;
  /** The subject record's persons, oldest first (ties by ID). */
  listPersons(subjectRecordId: string, page: PageRequest): Promise<Page<Person>>;
  /** Every owner association naming the person, oldest first (ties by ID). */
  ownershipsOfPerson(personId: string): Promise<BusinessOwner[]>;
  getVisibleIssuedIdentifier(id: string, scope: VisibilityScope): Promise<IssuedIdentifier | undefined>;
  /** The person's identifier of this type, if any. */
  issuedIdentifierOfType(personId: string, type: string): Promise<IssuedIdentifier | undefined>;
  /** The person's issued identifiers, oldest first (ties by ID). */
  listIssuedIdentifiers(personId: string, page: PageRequest): Promise<Page<IssuedIdentifier>>;

  // Business owners (data.md §5.2).
  /** The owner association, seen through its business. */
  getVisibleBusinessOwner(id: string, scope: VisibilityScope): Promise<BusinessOwnerInRecord | undefined>;
  /** One page of the business's owner associations, oldest first (ties by ID). */
  listBusinessOwnersPage(businessId: string, page: PageRequest): Promise<Page<BusinessOwner>>;
}

export interface DataWrites extends SubjectRecordDataWrites, LocationWrites, MetadataWrites, DocumentWrites {
  /**
   * Locks the subject record's row for the rest of the transaction (PostgreSQL `FOR UPDATE`;
   * SQLite's writer runs one unit at a time already) and answers it, or undefined when it is gone.
   * Every data write takes it first, so the guard, the limits and the totals it checks hold.
   */
  lockSubjectRecord(id: string): Promise<SubjectRecord | undefined>;
  /** Throws MAX_BUSINESS_LIMIT when the record already has one (rule index). */
  insertBusiness(business: Business): Promise<void>;
  /** Replaces every field of the stored business. */
  updateBusiness(business: Business): Promise<void>;
  /** Deletes the business and its sales info. */
  deleteBusiness(id: string): Promise<void>;
  /** Throws SALES_INFO_ALREADY_EXISTS when the business already has one (rule index). */
  insertSalesInfo(info: SalesInfo): Promise<void>;
  /** Replaces every field of the stored sales info. */
  updateSalesInfo(info: SalesInfo): Promise<void>;

  // Bank accounts and their business associations (data.md §5.3, §7).
  insertBankAccount(account: BankAccount): Promise<void>;
  /** Replaces every field of the stored bank account. */
  updateBankAccount(account: BankAccount): Promise<void>;
  deleteBankAccount(id: string): Promise<void>;
  /**
   * Inserts the association and one purpose row per purpose ('' for none). Throws
   * DUPLICATE_BANK_ACCOUNT_ASSOCIATION or SINGLE_PRIMARY_BANK_ACCOUNT when a rule index refuses it.
   */
  insertBusinessBankAccount(association: BusinessBankAccount): Promise<void>;
  /** Replaces the association's purposes and its `updated_at`; the rule indexes as on insert. */
  updateBusinessBankAccount(association: BusinessBankAccount): Promise<void>;
  /** Deletes the association with its purposes. */
  deleteBusinessBankAccount(id: string): Promise<void>;
  // person.* and person.issuedIdentifier.* (data.md §6).
  insertPerson(person: Person): Promise<void>;
  /** Replaces every field of the stored person. */
  updatePerson(person: Person): Promise<void>;
  /** Deletes the person and its issued identifiers. */
  deletePerson(id: string): Promise<void>;
  /** Throws DUPLICATED_ISSUED_IDENTIFIER when the person has one of the type (rule index). */
  insertIssuedIdentifier(identifier: IssuedIdentifier): Promise<void>;
  /** Replaces type and number; throws DUPLICATED_ISSUED_IDENTIFIER like the insert. */
  updateIssuedIdentifier(identifier: IssuedIdentifier): Promise<void>;

  // Business owners (data.md §5.2).
  /** Throws DUPLICATE_OWNER_ASSOCIATION when the person already owns the business (rule index). */
  insertBusinessOwner(owner: BusinessOwner): Promise<void>;
  /** Replaces the four fields of the stored association and its `updated_at`. */
  updateBusinessOwner(owner: BusinessOwner): Promise<void>;
  deleteBusinessOwner(id: string): Promise<void>;
}
