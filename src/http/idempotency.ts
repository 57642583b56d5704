/**
 * Idempotency-Key (wire.md): the first complete response for (credential, key) is stored for
 * 24 hours; a retry with the same method and byte-identical body gets it back, and a concurrent
 * duplicate is refused while the first runs — so a retried write never writes twice. The claim is
 * made here, before the request's unit of work; the unit commits its value with the claim
 * (state "committed"), and the response is stored once sent (state "done"). Should the response
 * be lost between the two — a crash, a failure after the commit — a retry is answered from the
 * committed value under the first request's trace ID, never by writing again. Claimed for
 * methods that write only: a read repeated is already safe, and storing every read's response
 * let any credential, read-only included, fill the disk (issue 11).
 */
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../domain/clock.js";
import { ApiError, badRequest } from "../errors.js";
import type { Store } from "../store/store.js";

const RETENTION_MS = 24 * 60 * 60 * 1000;
/** A claim this old belongs to a process that died mid-request; no request runs this long. */
const ABANDONED_AFTER_MS = 5 * 60 * 1000;
/** 1–255 printable ASCII characters (wire.md); the OpenAPI document states it too. */
export const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

export const IDEMPOTENCY_RETENTION_MS = RETENTION_MS;

export interface IdempotencyClaimHandle {
  apiKey: string;
  key: string;
  createdAt: string;
}

/** A committed unit of work whose response was lost: what the retry is answered from. */
export interface CommittedResult {
  value: unknown;
  traceId: string;
}

declare module "fastify" {
  interface FastifyRequest {
    idempotency: IdempotencyClaimHandle | null;
    committedResult: CommittedResult | null;
  }
}

/**
 * Claims the request's key. Returns true when the stored response was sent as a replay (the
 * caller must stop), false when the request should run.
 */
export async function claimIdempotency(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { store: Store; clock: Clock },
  apiKey: string,
  method: string,
  body: Buffer,
): Promise<boolean> {
  const header = request.headers["idempotency-key"];
  if (header === undefined) return false;
  if (typeof header !== "string" || !KEY_PATTERN.test(header)) {
    throw badRequest("Idempotency-Key must be 1–255 printable ASCII characters", "Idempotency-Key");
  }
  const nowMs = deps.clock.now().getTime();
  const now = new Date(nowMs).toISOString();
  const claim = await deps.store.claimIdempotencyKey({
    apiKey,
    key: header,
    method,
    bodyHash: createHash("sha256").update(body).digest("base64"),
    now,
    abandonedBefore: new Date(nowMs - ABANDONED_AFTER_MS).toISOString(),
    expiredBefore: new Date(nowMs - RETENTION_MS).toISOString(),
  });
  switch (claim.outcome) {
    case "claimed":
      request.idempotency = { apiKey, key: header, createdAt: claim.createdAt };
      return false;
    case "reused":
      throw new ApiError("IDEMPOTENCY_KEY_REUSED", {
        message: "This Idempotency-Key was used with a different method or body",
      });
    case "in_use":
      throw new ApiError("IDEMPOTENCY_KEY_IN_USE", {
        message: "A request with this Idempotency-Key is still in progress",
        retryAfter: 1,
      });
    case "committed":
      request.idempotency = { apiKey, key: header, createdAt: claim.createdAt };
      request.committedResult = { value: JSON.parse(claim.result) as unknown, traceId: claim.traceId };
      reply.header("x-trace-id", claim.traceId);
      reply.header("idempotent-replayed", "true");
      return false;
    case "replay": {
      const traceId = (JSON.parse(claim.body) as { meta?: { trace_id?: string } }).meta?.trace_id;
      if (traceId) reply.header("x-trace-id", traceId);
      reply.header("idempotent-replayed", "true");
      await reply.code(claim.status).type("application/json; charset=utf-8").send(claim.body);
      return true;
    }
  }
}

/**
 * Stores the response of a claimed key. A 5xx releases a claim whose unit of work did not commit,
 * so a retry runs afresh; a committed one stays, and the retry is answered from it.
 */
export async function finishIdempotency(
  request: FastifyRequest,
  reply: FastifyReply,
  store: Store,
  payload: unknown,
): Promise<void> {
  const claim = request.idempotency;
  if (!claim) return;
  request.idempotency = null;
  const keep = reply.statusCode < 500 && typeof payload === "string";
  try {
    await store.finishIdempotencyKey(
      claim.apiKey,
      claim.key,
      claim.createdAt,
      keep ? { status: reply.statusCode, body: payload as string } : null,
    );
  } catch (error) {
    // The response still goes out; the claim stays in flight until it is taken over as abandoned.
    request.log.error({ err: error }, "could not store the idempotent response");
  }
}
