/** One route per method declaration: POST /<name>, its validation, auth and envelope. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Authenticator, claimNonce } from "../auth/authenticate.js";
import type { Clock } from "../domain/clock.js";
import type { CredentialRecord } from "../domain/records.js";
import { SUPPORTED_VERSIONS } from "../domain/versions.js";
import { ApiError, badRequest } from "../errors.js";
import type { MethodContext, MethodDefinition } from "../methods/define.js";
import { isDatabaseUnavailable } from "../store/availability.js";
import type { AuthGuard, Store, WriteGuard } from "../store/store.js";
import { ErrorEnvelopeSchema, SuccessEnvelopeSchema, successEnvelope } from "./envelope.js";
import { claimIdempotency, finishIdempotency } from "./idempotency.js";
import { errorTable } from "./openapi.js";
import type { RateLimiter } from "./rate-limit.js";
import { assertWireHeadersSentOnce } from "./repeated-headers.js";
import { parseBody } from "./request-body.js";
import { type SensitiveRead, sensitiveReadsOf } from "./sensitive-read.js";
import { assertNoIssues, assertWellFormedStrings } from "./validation-errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    apiMethod?: string;
  }
  interface FastifyRequest {
    credential: CredentialRecord | null;
    /** What a write request's unit of work must still settle; null once nothing is left. */
    guard: AuthGuard | null;
  }
}

/**
 * Settles the guard of a write request whose unit of work did not run (a request refused before
 * it, or a handler that answered without writing): authentication outranks every later check —
 * INVALID_CREDENTIALS when a remembered credential turns out revoked, NONCE_REUSED for a replay —
 * and a request that passed authentication spends its nonce whatever its answer. Throws the
 * authentication error.
 */
async function settleLeftoverGuard(request: FastifyRequest, deps: MethodRouteDeps): Promise<void> {
  const guard = request.guard;
  request.guard = null;
  if (!guard) return;
  try {
    await deps.store.settleGuard(guard);
  } catch (error) {
    forgetRefused(deps, guard, error);
    throw error;
  }
}

/**
 * The error to answer for a refused write request: its guard's, if settling it fails, else its
 * own. A request refused because the database is unavailable is answered at once: settling would
 * ask the same database, and wait out another of its timeouts before failing the same way.
 */
async function settledError(
  request: FastifyRequest,
  deps: MethodRouteDeps,
  error: unknown,
): Promise<unknown> {
  if (isDatabaseUnavailable(error)) return error;
  try {
    await settleLeftoverGuard(request, deps);
    return error;
  } catch (authError) {
    return authError;
  }
}

/** A remembered credential that the database refused is forgotten, so the next request reads it. */
function forgetRefused(deps: MethodRouteDeps, guard: AuthGuard, error: unknown): void {
  const refusedCredential = error instanceof ApiError && error.details.sub_code === "INVALID_CREDENTIALS";
  if (refusedCredential && guard.credentialToConfirm !== null)
    deps.authenticator.forget(guard.credentialToConfirm);
}

const NOTHING_TO_SETTLE: AuthGuard = { credentialToConfirm: null, nonce: null };

export interface MethodRouteDeps {
  store: Store;
  clock: Clock;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  cursorKey: Uint8Array;
  secretBox: MethodContext["secrets"];
  allowInsecureWebhooks: boolean;
  documents: MethodContext["documents"];
}

const EMPTY = Buffer.alloc(0);

export function registerMethod(app: FastifyInstance, method: MethodDefinition, deps: MethodRouteDeps): void {
  const sensitiveReadOf = sensitiveReadsOf(method, deps);
  if (!app.hasRequestDecorator("credential")) app.decorateRequest("credential", null);
  if (!app.hasRequestDecorator("idempotency")) app.decorateRequest("idempotency", null);
  if (!app.hasRequestDecorator("guard")) app.decorateRequest("guard", null);
  if (!app.hasRequestDecorator("committedResult")) app.decorateRequest("committedResult", null);
  app.route({
    method: "POST",
    url: `/${method.name}`,
    config: { apiMethod: method.name },
    schema: {
      summary: method.summary,
      description: `${method.summary}\n\nErrors:\n\n${errorTable(method)}`,
      tags: [method.name.split(".")[0] ?? method.name],
      operationId: method.name,
      ...(method.auth ? { security: [{ KSig1: [] }] } : {}),
      body: method.request,
      response: {
        200: SuccessEnvelopeSchema(method.response),
        "4xx": ErrorEnvelopeSchema,
        "5xx": ErrorEnvelopeSchema,
      },
    },
    onRequest: async (request) => {
      assertWireHeadersSentOnce(request.raw.headersDistinct);
      const version = request.headers["x-api-version"];
      if (version === undefined) return;
      if (typeof version !== "string" || !SUPPORTED_VERSIONS.includes(version)) {
        throw badRequest(`X-API-Version must be one of: ${SUPPORTED_VERSIONS.join(", ")}`, "X-API-Version");
      }
      request.apiVersion = version;
    },
    // A write request's body errors are answered after its guard is settled (settledError), so
    // validation reaches the handler instead of answering on its own.
    attachValidation: method.write,
    preValidation: async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : EMPTY;
      if (!method.auth) {
        request.body = parseBody(raw, method);
        return;
      }
      // A write leaves its guard to its unit of work, one transaction for all of it — unless
      // something must be written first: an idempotency claim (a replay answers without running
      // the unit, so its checks are made here), or a shared rate-limit token (a revoked
      // credential's request must write nothing, so the credential is read before it).
      const leavesGuardToUnit =
        method.write && request.headers["idempotency-key"] === undefined && !deps.rateLimiter.writes;
      const { credential, guard } = await deps.authenticator.authenticate(
        { method: request.method, target: request.url, headers: request.raw.headersDistinct, body: raw },
        { deferCredentialCheck: leavesGuardToUnit },
      );
      if (leavesGuardToUnit) request.guard = guard;
      else if (guard.nonce) await claimNonce(deps.store, guard.nonce);
      try {
        if (method.write && credential.read_only) {
          throw new ApiError("PERMISSION_DENIED", {
            message: `This credential is read-only; ${method.name} writes`,
          });
        }
        request.credential = credential;
        await deps.rateLimiter.take(credential.api_key);
        // Idempotency-Key takes effect on writes only; on a read it is ignored (wire.md).
        if (
          method.write &&
          (await claimIdempotency(request, reply, deps, credential.api_key, method.name, raw))
        )
          return reply;
        request.body = parseBody(raw, method);
      } catch (error) {
        throw await settledError(request, deps, error);
      }
    },
    onSend: async (request, reply, payload) => {
      await finishIdempotency(request, reply, deps.store, payload);
      return payload;
    },
    handler: async (request) => {
      try {
        if (request.validationError) throw request.validationError;
        assertWellFormedStrings(request.body);
        if (method.refine) assertNoIssues(method.refine(request.body as never));
        const sensitive = sensitiveReadOf(request);
        const data = await method.handler(contextOf(method, request, deps, sensitive), request.body as never);
        // Before the answer leaves: an unmasked read that cannot be audited answers nothing.
        await sensitive.audit(data);
        // A write method that answered without writing still settles its guard.
        await settleLeftoverGuard(request, deps);
        const traceId = request.committedResult?.traceId ?? request.id;
        return successEnvelope(data, traceId, request.apiVersion);
      } catch (error) {
        throw await settledError(request, deps, error);
      }
    },
  });
}

/**
 * What a handler sees: reads, the clock, the caller — and, for a write method, `write`, which runs
 * its one unit of work with the request's guard. The handler never sees the guard itself.
 */
function contextOf(
  method: MethodDefinition,
  request: FastifyRequest,
  deps: MethodRouteDeps,
  sensitive: SensitiveRead,
): MethodContext {
  let wrote = false;
  return {
    showSensitiveData: sensitive.show,
    store: deps.store,
    clock: deps.clock,
    traceId: request.id,
    credential: request.credential,
    version: request.apiVersion,
    cursorKey: deps.cursorKey,
    secrets: deps.secretBox,
    allowInsecureWebhooks: deps.allowInsecureWebhooks,
    documents: deps.documents,
    write(procedure, input) {
      // One request, one transaction: a second unit could commit apart from the first.
      if (wrote) return Promise.reject(new Error(`${procedure}: a request runs one unit of work`));
      // A read method's request recorded its nonce already; a write from it would be unchecked.
      if (!method.write) return Promise.reject(new Error(`${method.name} is declared write: false`));
      wrote = true;
      // A retry of a request whose unit committed and whose response was lost: its value, not a
      // second write (http/idempotency.ts).
      if (request.committedResult) return Promise.resolve(request.committedResult.value as never);
      const claim = request.idempotency;
      const guard: WriteGuard = {
        ...(request.guard ?? NOTHING_TO_SETTLE),
        idempotency: claim ? { ...claim, traceId: request.id } : null,
      };
      // From here the unit settles the guard, or refuses the request for it.
      request.guard = null;
      return deps.store.write({ guard, procedure, input }).catch((error: unknown) => {
        forgetRefused(deps, guard, error);
        throw error;
      });
    },
  };
}
