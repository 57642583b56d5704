/**
 * The one store interface. Handlers and the CLI see only this; `open.ts` picks the SQLite or
 * PostgreSQL adapter. Adapters translate driver errors (unique violations on the rule indexes)
 * into domain errors, so no handler ever sees a driver error.
 */
import type { CreateWorkflowPlan, CreateWorkflowVerdict } from "../domain/create-workflow.js";
import type {
  Account,
  CredentialRecord,
  EventRecord,
  NamedAccountEntity,
  Organization,
  Page,
  PageRequest,
  SubjectRecord,
  Workflow,
  WorkflowState,
  WorkflowType,
} from "../domain/records.js";
import type { VisibilityScope } from "../domain/visibility.js";

export type Dialect = "sqlite" | "postgres";

export interface StoreReads {
  getOrganization(id: string): Promise<Organization | undefined>;
  getAccount(id: string): Promise<Account | undefined>;
  /**
   * The `getVisible…` lookups answer an entity only if `scope` may see it (domain/visibility.ts),
   * in one query by ID and visibility: a row of another organization costs the same statement
   * and round trip as a row that does not exist, so timing cannot tell them apart either.
   */
  getVisibleAccount(id: string, scope: VisibilityScope): Promise<Account | undefined>;
  listAccounts(organizationId?: string): Promise<Account[]>;
  getCredential(apiKey: string): Promise<CredentialRecord | undefined>;
  listCredentials(organizationId?: string): Promise<CredentialRecord[]>;
  pricingModelExists(accountId: string, id: string): Promise<boolean>;
  equipmentCollectionExists(accountId: string, id: string): Promise<boolean>;
  getSubjectRecord(id: string): Promise<SubjectRecord | undefined>;
  getVisibleSubjectRecord(id: string, scope: VisibilityScope): Promise<SubjectRecord | undefined>;
  listSubjectRecords(accountId: string, page: PageRequest): Promise<Page<SubjectRecord>>;
  getWorkflow(id: string): Promise<Workflow | undefined>;
  getVisibleWorkflow(id: string, scope: VisibilityScope): Promise<Workflow | undefined>;
  listWorkflows(subjectRecordId: string, page: PageRequest): Promise<Page<Workflow>>;
  hasWorkflowOfType(subjectRecordId: string, type: WorkflowType): Promise<boolean>;
  /** Whether another BUSINESS_APPLICATION of the account has this applicant email (any case). */
  applicantEmailInUse(accountId: string, emailLower: string, exceptWorkflowId?: string): Promise<boolean>;
  listEvents(filter: { workflowId?: string; accountId?: string }): Promise<EventRecord[]>;
}

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

export interface StoreWrites {
  insertOrganization(organization: Organization): Promise<void>;
  insertAccount(account: Account): Promise<void>;
  updateAccount(
    id: string,
    patch: Partial<Pick<Account, "name" | "allow_multiple_applications_per_email">> & { updated_at: string },
  ): Promise<Account | undefined>;
  insertCredential(credential: CredentialRecord): Promise<void>;
  /** Sets revoked_at if not yet revoked; returns the credential as it now is. */
  revokeCredential(apiKey: string, at: string): Promise<CredentialRecord | undefined>;
  insertPricingModel(entity: NamedAccountEntity): Promise<void>;
  insertEquipmentCollection(entity: NamedAccountEntity): Promise<void>;
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
  /**
   * Records (apiKey, nonce) unless it was seen at or after `seenSince`. Returns false for a replay.
   */
  claimNonce(apiKey: string, nonce: string, now: string, seenSince: string): Promise<boolean>;
}

export type IdempotencyClaim =
  | { outcome: "claimed"; createdAt: string }
  | { outcome: "replay"; status: number; body: string }
  | { outcome: "in_use" }
  | { outcome: "reused" };

export interface IdempotencyRequest {
  apiKey: string;
  key: string;
  method: string;
  bodyHash: string;
  now: string;
  /** An in-flight claim older than this was abandoned (its process died) and may be taken over. */
  abandonedBefore: string;
  /** A record older than this has expired (24 h) and the key is free again. */
  expiredBefore: string;
}

/** Bookkeeping that is not part of any domain change: idempotency, rate limits, purges. */
export interface StoreHousekeeping {
  /** Claims (credential, key) for one request, or says why not (replay, in use, reused). */
  claimIdempotencyKey(request: IdempotencyRequest): Promise<IdempotencyClaim>;
  /** Stores the response of a claimed key, or with `null` releases the claim (a 5xx is not kept). */
  finishIdempotencyKey(
    apiKey: string,
    key: string,
    createdAt: string,
    response: { status: number; body: string } | null,
  ): Promise<void>;
  /** Token bucket per API key, shared by every process on the database: one statement. */
  takeRateToken(
    apiKey: string,
    nowMs: number,
    ratePerSecond: number,
    burst: number,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
  /** Deletes up to `limit` expired nonces and idempotency records; returns how many. */
  purgeExpired(noncesSeenBefore: string, idempotencyCreatedBefore: string, limit: number): Promise<number>;
}

/** One value sealed under the master key: its column ("table.column"), the row it is bound to. */
export interface SealedSecret {
  column: string;
  boundTo: string;
  sealed: string;
}

/**
 * The master key check and every sealed secret (sealed-secrets.ts). Writes run inside
 * `transaction`; a rotation replaces the key check first, which on PostgreSQL holds its row lock
 * until the rotation commits.
 */
export interface StoreSealedSecretReads {
  getMasterKeyCheck(): Promise<string | undefined>;
  /** The first sealed secret, or undefined when the database holds none. */
  firstSealedSecret(): Promise<SealedSecret | undefined>;
  /** Every sealed secret, by column and then by the ID it is bound to. */
  listSealedSecrets(): Promise<SealedSecret[]>;
}

export interface StoreSealedSecretWrites {
  /** Stores the key check unless one is stored already; returns the one stored now. */
  putMasterKeyCheck(sealed: string, at: string): Promise<string>;
  replaceMasterKeyCheck(sealed: string, at: string): Promise<void>;
  /**
   * Inside a transaction that seals: whether the key check is still sealed under `keyId` (true
   * when there is none yet), holding its row until the commit. A rotation replaces the check first,
   * so on PostgreSQL this waits for a rotation in progress and then sees its new key, and a secret
   * is never sealed under a key the database has just stopped using.
   */
  holdMasterKeyCheck(keyId: string): Promise<boolean>;
  /** Replaces one sealed value if it still holds `secret.sealed` (compare-and-set). */
  replaceSealedSecret(secret: SealedSecret, sealed: string): Promise<boolean>;
}

export type StoreSealedSecrets = StoreSealedSecretReads & StoreSealedSecretWrites;

export type StoreTx = StoreReads & StoreWrites & StoreHousekeeping & StoreSealedSecrets;

/** Domain operations an adapter may implement in fewer round trips than the generic version. */
export interface StoreOperations {
  /**
   * Checks workflow.create's rules in order and, if all pass, writes the subject record (if new),
   * the workflow and its event atomically. Rule-index races still throw the domain error.
   */
  createWorkflow(plan: CreateWorkflowPlan): Promise<CreateWorkflowVerdict>;
}

export interface Store extends StoreTx, StoreOperations {
  readonly dialect: Dialect;
  /** Runs fn in one database transaction: all of its writes commit together or not at all. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
