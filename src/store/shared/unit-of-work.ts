/**
 * A write request's unit of work, run the same way by every adapter inside the transaction it
 * gives the unit: the guard (credential re-check, nonce), then the named write procedure in a
 * savepoint. A rule that refuses the request rolls back the procedure's writes only, so a refused
 * request still spends its nonce — as any request that passed authentication does — and writes
 * nothing else; an authentication failure or any other error rolls back everything.
 */
import { type Kysely, sql } from "kysely";
import type { DomainStore } from "../../domain/domain-store.js";
import { WRITE_PROCEDURES } from "../../domain/write-procedures.js";
import { ApiError, invalidCredentials, nonceReused } from "../../errors.js";
import type { Store, StoreTx, UnitOfWork, UnitOutcome, WriteGuard } from "../store.js";
import type { Database } from "./schema.js";

/** Runs `work` so that, if it throws, its writes are undone and the transaction goes on. */
export type Savepoint = <T>(work: () => Promise<T>) => Promise<T>;

export function savepointOn(connection: Kysely<Database>): Savepoint {
  return async (work) => {
    await sql`savepoint unit_of_work`.execute(connection);
    let value: Awaited<ReturnType<typeof work>>;
    try {
      value = await work();
    } catch (error) {
      await sql`rollback to unit_of_work`.execute(connection);
      await sql`release unit_of_work`.execute(connection);
      throw error;
    }
    await sql`release unit_of_work`.execute(connection);
    return value;
  };
}

/** The guard's checks, first in the unit's transaction; they throw the authentication error. */
export async function settleGuard(tx: StoreTx, guard: WriteGuard): Promise<void> {
  if (guard.credentialToConfirm !== null) {
    const credential = await tx.getCredential(guard.credentialToConfirm);
    if (!credential || credential.revoked_at !== null) throw invalidCredentials();
  }
  const { nonce } = guard;
  if (nonce && !(await tx.claimNonce(nonce.apiKey, nonce.nonce, nonce.now, nonce.seenSince)))
    throw nonceReused();
}

export async function runUnitOfWork(
  tx: StoreTx,
  savepoint: Savepoint,
  unit: UnitOfWork,
): Promise<UnitOutcome> {
  await settleGuard(tx, unit.guard);
  // The cast only erases which procedure's input this is; the unit's type pairs them.
  const procedure = WRITE_PROCEDURES[unit.procedure] as (tx: DomainStore, input: unknown) => Promise<unknown>;
  try {
    return { ok: true, value: await savepoint(() => procedure(tx, unit.input)) };
  } catch (error) {
    if (error instanceof ApiError)
      return { ok: false, refusal: { code: error.code, details: error.details } };
    throw error;
  }
}

/** The unit's value, or its refusal thrown as the ApiError it was. */
export function outcomeValue(outcome: UnitOutcome): unknown {
  if (!outcome.ok) throw new ApiError(outcome.refusal.code, outcome.refusal.details);
  return outcome.value;
}

/** `Store.write` over an adapter's way to run a unit: its value, or its refusal thrown. */
export function writeThrough(run: (unit: UnitOfWork) => Promise<UnitOutcome>): Store["write"] {
  // The cast pairs the value with the procedure the caller named; `runUnitOfWork` ran exactly that one.
  return ((unit: UnitOfWork) => run(unit).then(outcomeValue)) as Store["write"];
}

/** The unit of work, and a guard settled alone, as store operations on one transaction. */
export interface UnitOfWorkRunner {
  runUnitOfWork(unit: UnitOfWork): Promise<UnitOutcome>;
  settleGuard(guard: WriteGuard): Promise<void>;
}
