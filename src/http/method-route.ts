/** One route per method declaration: POST /<name>, its validation, auth and envelope. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  type Authenticator,
  claimNonce,
  type PendingCredential,
  type PendingNonce,
} from "../auth/authenticate.js";
import type { Clock } from "../domain/clock.js";
import type { CredentialRecord } from "../domain/records.js";
import { SUPPORTED_VERSIONS } from "../domain/versions.js";
import { ApiError, badRequest } from "../errors.js";
import type { MethodDefinition } from "../methods/define.js";
import { isDatabaseUnavailable } from "../store/availability.js";
import type { Store } from "../store/store.js";
import { ErrorEnvelopeSchema, SuccessEnvelopeSchema, successEnvelope } from "./envelope.js";
import { claimIdempotency, finishIdempotency } from "./idempotency.js";
import { errorTable } from "./openapi.js";
import type { RateLimiter } from "./rate-limit.js";
import { assertWireHeadersSentOnce } from "./repeated-headers.js";
import { parseBody } from "./request-body.js";
import { assertWellFormedStrings } from "./validation-errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    apiMethod?: string;
  }
  interface FastifyRequest {
    credential: CredentialRecord | null;
    pendingNonce: PendingNonce | null;
    pendingCredential: PendingCredential | null;
  }
}

/**
 * The error to answer once authentication is settled, for a request refused before the write
 * that folds its checks: INVALID_CREDENTIALS when a remembered credential turns out revoked,
 * NONCE_REUSED when the nonce turns out to be a replay (authentication outranks every later
 * check), else the original error. A request refused because the database is unavailable is
 * answered at once: settling would ask the same database, and wait out another of its timeouts
 * before failing the same way (a create on a frozen PostgreSQL took 10 s instead of 5).
 */
async function settledAuthError(
  request: FastifyRequest,
  deps: MethodRouteDeps,
  error: unknown,
): Promise<unknown> {
  if (isDatabaseUnavailable(error)) return error;
  try {
    if (request.pendingCredential) await deps.authenticator.confirmCredential(request.pendingCredential);
    if (request.pendingNonce) await claimNonce(deps.store, request.pendingNonce);
    return error;
  } catch (authError) {
    return authError;
  }
}

export interface MethodRouteDeps {
  store: Store;
  clock: Clock;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  cursorKey: Uint8Array;
}

const EMPTY = Buffer.alloc(0);

export function registerMethod(app: FastifyInstance, method: MethodDefinition, deps: MethodRouteDeps): void {
  if (!app.hasRequestDecorator("credential")) app.decorateRequest("credential", null);
  if (!app.hasRequestDecorator("idempotency")) app.decorateRequest("idempotency", null);
  if (!app.hasRequestDecorator("pendingNonce")) app.decorateRequest("pendingNonce", null);
  if (!app.hasRequestDecorator("pendingCredential")) app.decorateRequest("pendingCredential", null);
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
    // With the nonce folded into the method's write, a request refused before that write must
    // still record its nonce first — and answer NONCE_REUSED if it is a replay (auth comes first).
    attachValidation: method.foldsAuthChecks === true,
    preValidation: async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : EMPTY;
      if (method.auth) {
        // An idempotent replay answers without running the method, so its checks are made here.
        const folds = method.foldsAuthChecks === true && request.headers["idempotency-key"] === undefined;
        // A shared rate-limit token is a write, and a revoked credential's request must write
        // nothing: with that limiter, the credential is read before it, as for any method.
        const { credential, nonce, pendingCredential } = await deps.authenticator.authenticate(
          { method: request.method, target: request.url, headers: request.raw.headersDistinct, body: raw },
          { deferCredentialCheck: folds && !deps.rateLimiter.writes },
        );
        request.pendingNonce = nonce;
        request.pendingCredential = pendingCredential;
        try {
          if (nonce && !folds) await claimNonce(deps.store, nonce);
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
          throw await settledAuthError(request, deps, error);
        }
        return;
      }
      request.body = parseBody(raw, method);
    },
    onSend: async (request, reply, payload) => {
      await finishIdempotency(request, reply, deps.store, payload);
      return payload;
    },
    handler: async (request) => {
      try {
        if (request.validationError) throw request.validationError;
        assertWellFormedStrings(request.body);
        const data = await method.handler(
          {
            store: deps.store,
            clock: deps.clock,
            traceId: request.id,
            credential: request.credential,
            version: request.apiVersion,
            cursorKey: deps.cursorKey,
            nonce: request.pendingNonce,
            pendingCredential: request.pendingCredential,
          },
          request.body as never,
        );
        // A method that folds the checks makes them in its write; make them if a path did not.
        if (request.pendingCredential) await deps.authenticator.confirmCredential(request.pendingCredential);
        if (request.pendingNonce) await claimNonce(deps.store, request.pendingNonce);
        return successEnvelope(data, request.id, request.apiVersion);
      } catch (error) {
        throw await settledAuthError(request, deps, error);
      }
    },
  });
}
