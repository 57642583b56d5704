/**
 * The one log line of each request (`"msg":"request"`), written when its answer has left: enough
 * to debug a 401 or a 400 from the log alone — who (API key, account), what (method), the answer
 * (status, error code and sub-code), trace ID and latency. Never a secret: the secret key and the
 * auth token are not on the request object this reads, and an API key taken from the headers is
 * logged only when it has an API key's shape, so a token pasted into X-API-Key stays out.
 * docs/decisions.md, "Request log lines", lists the fields.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiError } from "../errors.js";

/** The error envelope a request was answered with, kept for its log line and the metrics. */
export interface AnsweredError {
  code: string;
  sub_code: string | null;
}

declare module "fastify" {
  interface FastifyRequest {
    answeredError: AnsweredError | null;
  }
}

/** What an API key looks like (issued or imported: admin/operator.ts); an account ID too. */
const KEY_OR_ACCOUNT_SHAPE = /^(sb|lv)_[0-9A-Za-z]{1,40}$/;

/** Called by sendError: remembers which error this request was answered with. */
export function noteAnsweredError(request: FastifyRequest, error: ApiError): void {
  request.answeredError = { code: error.code, sub_code: error.details.sub_code ?? null };
}

export function requestLogFields(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    method: request.routeOptions.config?.apiMethod,
    http_method: request.method,
    url: request.url,
    status: reply.statusCode,
    api_key: apiKeyOf(request),
    account_id: accountIdOf(request),
    error_code: request.answeredError?.code,
    sub_code: request.answeredError?.sub_code ?? undefined,
    ms: Math.round(reply.elapsedTime),
  };
  // Absent rather than null: a field is in the line when it is known.
  for (const [name, value] of Object.entries(fields)) if (value === undefined) delete fields[name];
  return fields;
}

/** The authenticated credential's key; before (or without) authentication, the one claimed. */
function apiKeyOf(request: FastifyRequest): string | undefined {
  if (request.credential) return request.credential.api_key;
  const claimed = request.headers["x-api-key"];
  return typeof claimed === "string" && KEY_OR_ACCOUNT_SHAPE.test(claimed) ? claimed : undefined;
}

/** The account the request names, else the credential's only account; unknown otherwise. */
function accountIdOf(request: FastifyRequest): string | undefined {
  const body: unknown = request.body;
  if (typeof body === "object" && body !== null && !Buffer.isBuffer(body) && "account_id" in body) {
    const named = body.account_id;
    if (typeof named === "string" && KEY_OR_ACCOUNT_SHAPE.test(named)) return named;
  }
  const accounts = request.credential?.account_ids;
  return accounts?.length === 1 ? accounts[0] : undefined;
}
