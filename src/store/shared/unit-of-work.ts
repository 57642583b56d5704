/**
 * A write request's unit of work, run the same way by every adapter inside the transaction it
 * gives the unit: the guard (credential re-check, nonce), then the named write procedure, then,
 * with an Idempotency-Key, its value committed with the key's claim. Any error rolls the whole
 * transaction back. A refused request must still spend its nonce — as any request that passed
 * authentication does — so `writeAlone` then settles the guard on its own: one more transaction,
 * on refusals only, where a savepoint around every procedure cost two statements on every write.
 */
import type { DomainStore } from "../../domain/domain-store.js";
import { WRITE_PROCEDURES } from "../../domain/write-procedures.js";
import { ApiError, invalidCredentials, nonceReused } from "../../errors.js";
import type { AuthGuard, Store, StoreTx, UnitOfWork } from "../store.js";

/** The guard's checks, first in the unit's transaction; they throw the authentication error. */
export async function settleGuard(tx: StoreTx, guard: AuthGuard): Promise<void> {
  if (guard.credentialToConfirm !== null) {
    const credential = await tx.getCredential(guard.credentialToConfirm);
    if (!credential || credential.revoked_at !== null) throw invalidCredentials();
  }
  const { nonce } = guard;
  if (nonce && !(await tx.claimNonce(nonce.apiKey, nonce.nonce, nonce.now, nonce.seenSince)))
    throw nonceReused();
}

export async function runUnitOfWork(tx: StoreTx, unit: UnitOfWork): Promise<unknown> {
  await settleGuard(tx, unit.guard);
  // The cast only erases which procedure's input this is; the unit's type pairs them.
  const procedure = WRITE_PROCEDURES[unit.procedure] as (tx: DomainStore, input: unknown) => Promise<unknown>;
  const value = await procedure(tx, unit.input);
  const claim = unit.guard.idempotency;
  if (claim) await tx.commitIdempotencyKey(claim, JSON.stringify(value ?? null));
  return value;
}

/**
 * `Store.write` for a unit run in a transaction of its own (`run`): its value; or, when a rule or
 * the guard refused it and the transaction rolled back, the guard settled alone (`settle`) — the
 * nonce spent, or the authentication error, which outranks the rule's — and then the refusal.
 */
export function writeAlone(
  run: (unit: UnitOfWork) => Promise<unknown>,
  settle: (guard: AuthGuard) => Promise<void>,
): Store["write"] {
  const write = async (unit: UnitOfWork) => {
    try {
      return await run(unit);
    } catch (error) {
      const { credentialToConfirm, nonce } = unit.guard;
      if (error instanceof ApiError && (credentialToConfirm !== null || nonce !== null))
        await settle(unit.guard);
      throw error;
    }
  };
  // The cast pairs the value with the procedure the caller named; `runUnitOfWork` ran exactly that one.
  return write as Store["write"];
}

/** The unit of work, and a guard settled alone, as store operations on one transaction. */
export interface UnitOfWorkRunner {
  runUnitOfWork(unit: UnitOfWork): Promise<unknown>;
  settleGuard(guard: AuthGuard): Promise<void>;
}
