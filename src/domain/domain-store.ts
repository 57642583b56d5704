/**
 * The narrow view of the database that the domain rules are written against. The store's
 * transaction implements it (store.ts `StoreTx`); the rules never see an adapter, a driver or a
 * connection, so each rule is stated once here and runs unchanged on SQLite and PostgreSQL.
 */

import type { AccountDataSettings } from "./account-settings.js";
import type { RecordData } from "./completion-requirements.js";
import type { DataReads, DataWrites } from "./data-store.js";
import type {
  Account,
  EventRecord,
  SubjectRecord,
  Workflow,
  WorkflowState,
  WorkflowType,
} from "./records.js";
import type { VisibilityScope } from "./visibility.js";
import type { MasterKeyHold, WebhookReads, WebhookWrites } from "./webhook-store.js";

/** The account settings completion looks at (data.md §3.6). */
export type CompletionSettings = Pick<AccountDataSettings, "completion_requirements" | "locations_enabled">;

export interface WorkflowWrite {
  workflow: Workflow;
  /** Lower-cased applicant email when the account enforces unique emails, else null. */
  emailClaim: string | null;
}

export interface WorkflowDetailsWrite {
  workflow: Workflow;
  /** The new email claim; undefined keeps the stored one (the email did not change). */
  emailClaim?: string | null;
}

/** Subject-record data adds its own calls (data-store.ts). */
export interface DomainReads extends DataReads, WebhookReads {
  /**
   * The `getVisible…` lookups answer an entity only if `scope` may see it (visibility.ts), in one
   * query by ID and visibility: another organization's row costs what a missing one does.
   */
  getVisibleAccount(id: string, scope: VisibilityScope): Promise<Account | undefined>;
  getVisibleSubjectRecord(id: string, scope: VisibilityScope): Promise<SubjectRecord | undefined>;
  getVisibleWorkflow(id: string, scope: VisibilityScope): Promise<Workflow | undefined>;
  getWorkflow(id: string): Promise<Workflow | undefined>;
  pricingModelExists(accountId: string, id: string): Promise<boolean>;
  equipmentCollectionExists(accountId: string, id: string): Promise<boolean>;
  hasWorkflowOfType(subjectRecordId: string, type: WorkflowType): Promise<boolean>;
  /** Whether another BUSINESS_APPLICATION of the account has this applicant email (any case). */
  applicantEmailInUse(accountId: string, emailLower: string, exceptWorkflowId?: string): Promise<boolean>;

  // Completion requirements (data.md §14; record-snapshot.ts).
  /**
   * What §14 looks at in one subject record, as one snapshot (§3.4). workflow.canComplete calls it
   * on the store, outside any transaction: one statement or a read transaction of its own, never
   * separate reads a write could land between. workflow.complete calls it after lockSubjectRecord.
   */
  readRecordData(subjectRecordId: string): Promise<RecordData>;
  /** The account's data settings (data.md §3.6); see account-settings.ts `accountDataSettings`. */
  getAccountDataSettings(accountId: string): Promise<AccountDataSettings | undefined>;
}

export interface DomainWrites extends DataWrites, WebhookWrites {
  insertSubjectRecord(record: SubjectRecord): Promise<void>;
  /** Throws the domain error when a rule index (one BA per subject record, unique email) refuses it. */
  insertWorkflow(write: WorkflowWrite): Promise<void>;
  /**
   * Replaces the stored details of a workflow still in `expectedState` (compare-and-set; false if
   * it moved on). Throws the domain error when the new email claim is taken.
   */
  updateWorkflowDetails(write: WorkflowDetailsWrite, expectedState: WorkflowState): Promise<boolean>;
  /**
   * Moves a workflow from one state to another only if it is still in `from` (compare-and-set), so
   * of several simultaneous transitions exactly one wins. Returns whether this one did.
   */
  transitionWorkflow(
    id: string,
    from: WorkflowState,
    to: WorkflowState,
    times: { started_at?: string; ended_at?: string; updated_at: string },
  ): Promise<boolean>;
  insertEvent(event: EventRecord): Promise<void>;
  /** Deletes a workflow only if it is still in `state` (compare-and-delete). Returns whether it did. */
  deleteWorkflowInState(id: string, state: WorkflowState): Promise<boolean>;
  // lockSubjectRecord, the lock of data.md §3.4, is with the data writes (data-store.ts).
}

/**
 * What a write procedure runs on: one open transaction. The master key check is the store's
 * (store.ts `StoreSealedSecretWrites`); a procedure that stores a sealed secret holds it.
 */
export type DomainStore = DomainReads & DomainWrites & MasterKeyHold;
