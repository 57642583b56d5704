/**
 * `show_sensitive_data` (data.md §2.6) for one request of a method that takes it: the refusal at
 * step 2 of the check order (`context.showSensitiveData`, which the handler calls), and, once the
 * handler has built its response, the audit of what it revealed — one SENSITIVE_DATA_ACCESSED
 * event written by its own unit of work before the response is sent. Should that write fail, the
 * request fails and the response is never sent. A read takes no Idempotency-Key (idempotency.ts),
 * so an unmasked response is never stored for replay: a retry runs, and is audited, afresh.
 */
import type { FastifyRequest } from "fastify";
import type { Clock } from "../domain/clock.js";
import { actorOf } from "../domain/events.js";
import { mayUnmask, revealedIn } from "../domain/sensitive-data.js";
import { scopeOf } from "../domain/visibility.js";
import { unmaskDenied } from "../errors.js";
import type { MethodDefinition } from "../methods/define.js";
import type { Store } from "../store/store.js";

/** Whether a method takes the flag: its request declares it (schema.ts `ShowSensitiveData`). */
export function takesShowSensitiveData(method: MethodDefinition): boolean {
  const properties = (method.request as { properties?: Record<string, unknown> }).properties;
  return properties !== undefined && Object.hasOwn(properties, "show_sensitive_data");
}

/**
 * Writes always answer masked values, and an unmasked answer must never be stored for
 * Idempotency-Key replay, which writes are: so only a read may take the flag.
 */
export function assertOnlyReadsUnmask(method: MethodDefinition): void {
  if (method.write && takesShowSensitiveData(method))
    throw new Error(`${method.name} writes, so it may not take show_sensitive_data`);
}

export interface SensitiveRead {
  /** `MethodContext.showSensitiveData`. */
  show(flag: boolean | undefined): boolean;
  /** After the handler: audits what its response revealed, if the request asked to see it. */
  audit(data: unknown): Promise<void>;
}

/** At registration: the per-request part of a method's `show_sensitive_data`, decided once. */
export function sensitiveReadsOf(
  method: MethodDefinition,
  deps: { store: Store; clock: Clock },
): (request: FastifyRequest) => SensitiveRead {
  assertOnlyReadsUnmask(method);
  const takesFlag = takesShowSensitiveData(method);
  return (request) => {
    let unmasked = false;
    return {
      show(flag) {
        if (!takesFlag) throw new Error(`${method.name} does not declare show_sensitive_data in its request`);
        if (flag !== true) return false;
        const credential = request.credential;
        if (!credential || !mayUnmask(credential)) throw unmaskDenied();
        unmasked = true;
        return true;
      },
      async audit(data) {
        if (!takesFlag) return;
        const asked =
          (request.body as { show_sensitive_data?: unknown } | null)?.show_sensitive_data === true;
        if (!asked) return;
        // A handler that never made the check may have revealed anything to anyone: answer nothing.
        if (!unmasked)
          throw new Error(`${method.name} took show_sensitive_data without context.showSensitiveData`);
        const revealed = revealedIn(data);
        const credential = request.credential;
        if (!revealed || !credential) return;
        // The guard was settled when the read was authenticated, and a read claims no
        // Idempotency-Key: this unit carries nothing but its procedure.
        await deps.store.write({
          guard: { credentialToConfirm: null, nonce: null, idempotency: null },
          procedure: "auditSensitiveRead",
          input: {
            scope: scopeOf(credential),
            actor: actorOf(credential),
            method: method.name,
            revealed,
            at: deps.clock.now().toISOString(),
          },
        });
      },
    };
  };
}
