/**
 * The one store interface. Handlers and the CLI see only this; `open.ts` picks the SQLite or
 * PostgreSQL adapter. Adapters translate driver errors (unique violations on the rule indexes)
 * into domain errors, so no handler ever sees a driver error.
 */
import type { Readable } from "node:stream";
import type { AccountDataSettings } from "../domain/account-settings.js";
import type { DocumentTypeReads, DocumentTypeWrites } from "../domain/document-types.js";
import type { DomainReads, DomainWrites } from "../domain/domain-store.js";
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
} from "../domain/records.js";
import type { WriteInput, WriteProcedureName, WriteResult } from "../domain/write-procedures.js";
import type { EventStreamReads, EventStreamWrites } from "./shared/event-stream-queries.js";
import type { SetupEntityReads } from "./shared/setup-entity-queries.js";

export type Dialect = "sqlite" | "postgres";

export interface StoreReads extends DomainReads, EventStreamReads, DocumentTypeReads, SetupEntityReads {
  getOrganization(id: string): Promise<Organization | undefined>;
  getAccount(id: string): Promise<Account | undefined>;
  listAccounts(organizationId?: string): Promise<Account[]>;
  getCredential(apiKey: string): Promise<CredentialRecord | undefined>;
  listCredentials(organizationId?: string): Promise<CredentialRecord[]>;
  getSubjectRecord(id: string): Promise<SubjectRecord | undefined>;
  listSubjectRecords(accountId: string, page: PageRequest): Promise<Page<SubjectRecord>>;
  listWorkflows(subjectRecordId: string, page: PageRequest): Promise<Page<Workflow>>;
  listEvents(filter: { workflowId?: string; accountId?: string }): Promise<EventRecord[]>;
}

export interface StoreWrites extends DomainWrites, EventStreamWrites, DocumentTypeWrites {
  insertOrganization(organization: Organization): Promise<void>;
  insertAccount(account: Account): Promise<void>;
  /** Changes what the patch names (a list given replaces the stored one); returns the account. */
  updateAccount(
    id: string,
    patch: Partial<Pick<Account, "name" | "allow_multiple_applications_per_email">> &
      Partial<AccountDataSettings> & { updated_at: string },
  ): Promise<Account | undefined>;
  insertCredential(credential: CredentialRecord): Promise<void>;
  /** Sets revoked_at if not yet revoked; returns the credential as it now is. */
  revokeCredential(apiKey: string, at: string): Promise<CredentialRecord | undefined>;
  insertPricingModel(entity: NamedAccountEntity): Promise<void>;
  insertEquipmentCollection(entity: NamedAccountEntity): Promise<void>;
  /**
   * Records (apiKey, nonce) unless it was seen at or after `seenSince`. Returns false for a replay.
   */
  claimNonce(apiKey: string, nonce: string, now: string, seenSince: string): Promise<boolean>;
}

export type IdempotencyClaim =
  | { outcome: "claimed"; createdAt: string }
  | { outcome: "replay"; status: number; body: string }
  /** The first request's unit of work committed, but its response was never stored. */
  | { outcome: "committed"; createdAt: string; result: string; traceId: string }
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
  /**
   * Inside a unit of work: the key's claim is now committed with the unit's value (JSON) and the
   * trace ID it answers under, in the same transaction as the unit's effects.
   */
  commitIdempotencyKey(claim: IdempotencyHandle, result: string): Promise<void>;
  /**
   * Stores the response of a claimed key, or with `null` releases a claim whose unit of work did
   * not commit (a 5xx is not kept; a committed claim stays, to be answered from its result).
   */
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

/** One due delivery claimed under a lease: what the sender needs for its attempt. */
export interface ClaimedDelivery {
  event: EventRecord;
  configId: string;
  url: string;
  /** The account's ACTIVE key at the claim, and its secret sealed under the master key. */
  keyId: string;
  secretSealed: string;
  /** A live (`lv_`) account: its endpoints must resolve to public addresses. */
  live: boolean;
  /** The attempt's number from 0: its `retry_count`. */
  attemptNumber: number;
  owner: string;
}

export interface DeliveryClaim {
  now: string;
  /** This process's worker ID, and how long the lease holds (the attempt's timeout and a margin). */
  owner: string;
  leaseUntil: string;
  limit: number;
}

/** How one claimed attempt ended, and what becomes of its delivery. */
export interface DeliveryFinish {
  eventId: string;
  configId: string;
  owner: string;
  attemptNumber: number;
  finishedAt: string;
  httpStatus: number | null;
  latencyMs: number | null;
  error: string | null;
  next: { status: "SUCCEEDED" } | { status: "FAILED" } | { status: "PENDING"; nextAttemptAt: string };
}

/** The webhook outbox as the delivery workers see it (shared/deliveries.ts). */
export interface StoreDeliveryReads {
  /** Whether a claim now would find anything: a cheap read before a write transaction. */
  deliveryDue(now: string): Promise<boolean>;
  /** When the oldest PENDING delivery's event happened, or undefined when none is pending. */
  oldestPendingDelivery(): Promise<string | undefined>;
}

export interface StoreDeliveryWrites {
  /** Claims up to `limit` due deliveries, counting and recording each one's attempt. */
  claimDeliveries(claim: DeliveryClaim): Promise<ClaimedDelivery[]>;
  /** Records the attempt and moves its delivery on; false when the lease was no longer this one's. */
  finishDelivery(finish: DeliveryFinish): Promise<boolean>;
  /** FAILs pending deliveries whose endpoint was deleted or whose event is older than `expiredBefore`. */
  settleUndeliverable(now: string, expiredBefore: string): Promise<number>;
}

export type StoreTx = StoreReads &
  StoreWrites &
  StoreHousekeeping &
  StoreSealedSecrets &
  StoreDeliveryReads &
  StoreDeliveryWrites;

/** A nonce that passed every other check of KSig1, to be recorded with the request's writes. */
export interface NonceClaim {
  apiKey: string;
  nonce: string;
  now: string;
  /** A sighting at or after this time makes the nonce a replay. */
  seenSince: string;
}

/** A claimed Idempotency-Key, and the trace ID its request answers under. */
export interface IdempotencyHandle {
  apiKey: string;
  key: string;
  createdAt: string;
  traceId: string;
}

/**
 * What authentication leaves for a write request's own transaction to settle, so that a refused
 * credential or a replayed nonce writes nothing, and an accepted request pays no extra commit.
 */
export interface WriteGuard extends AuthGuard {
  /**
   * The request's claimed Idempotency-Key: the unit's value is committed with it, so a retry never
   * writes twice, even when the response is lost after the commit.
   */
  idempotency: IdempotencyHandle | null;
}

/** The part of a write's guard that authentication leaves: settled alone if the unit never runs. */
export interface AuthGuard {
  /**
   * A credential the authenticator took from memory: read again in the transaction, and the whole
   * unit refused with INVALID_CREDENTIALS if it was revoked meanwhile.
   */
  credentialToConfirm: string | null;
  /** Recorded in the transaction; a replay refuses the whole unit with NONCE_REUSED. */
  nonce: NonceClaim | null;
}

/**
 * One write request: its guard, then one named write procedure (domain/write-procedures.ts) with
 * its reads, rules, writes and events, all in one transaction. Plain data, so that an adapter may
 * run it on another thread.
 */
export interface UnitOfWork<N extends WriteProcedureName = WriteProcedureName> {
  guard: WriteGuard;
  procedure: N;
  input: WriteInput<N>;
}

export interface Store extends StoreTx {
  readonly dialect: Dialect;
  /**
   * Runs one write request's unit of work: the guard, then the procedure, in one transaction.
   * Resolves with the procedure's value; rejects with its ApiError when a rule refused it, or with
   * the guard's authentication error (then nothing at all was written).
   */
  write<N extends WriteProcedureName>(unit: UnitOfWork<N>): Promise<WriteResult<N>>;
  /**
   * Settles a write request's guard on its own, for a request refused before its unit of work
   * ran (a malformed body, a read-only credential): its authentication still outranks its error,
   * and its nonce is still spent. Throws the guard's authentication error.
   */
  settleGuard(guard: AuthGuard): Promise<void>;
  /** Runs fn in one database transaction: all of its writes commit together or not at all. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  /** How busy the database connections are right now, for /metrics; read without I/O. */
  load(): StoreLoad;
  /**
   * PostgreSQL, which keeps document bytes in the database: a COMPLETED document's bytes as one
   * stream, in order. Absent on SQLite, whose documents are files (documents/download-route.ts).
   */
  openDocumentBytes?(documentId: string): Promise<Readable>;
  close(): Promise<void>;
}

/** A store's connection load: the PostgreSQL pool, or the SQLite writer thread's queue. */
export interface StoreLoad {
  /** PostgreSQL: connections open, of which idle, and queries waiting for one. */
  pool?: { total: number; idle: number; waiting: number };
  /** SQLite with its writer thread: calls sent to the thread and not yet answered. */
  writerQueue?: number;
}
