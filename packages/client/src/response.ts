/** Reading a response into the client's result: the envelope when there is one, a stand-in when not. */
import type { ErrorCode, ResponseMeta, WireError } from "./errors.js";

export type CallResult<T> =
  | {
      ok: true;
      status: number;
      meta: ResponseMeta;
      /** The server's trace ID for this request (`meta.trace_id`). */
      trace_id: string;
      data: T;
      headers: Headers;
      /** How many attempts the call took (retries included). */
      attempts: number;
    }
  | {
      ok: false;
      status: number;
      meta: ResponseMeta;
      trace_id: string;
      errors: WireError[];
      headers: Headers;
      attempts: number;
    };

interface Envelope {
  meta: ResponseMeta;
  data?: unknown;
  errors?: WireError[];
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== "object" || value === null) return false;
  const meta = (value as { meta?: { status?: unknown } }).meta;
  return meta?.status === "SUCCESS" || meta?.status === "ERROR";
}

/**
 * Something between client and server (a proxy, a load balancer) may answer without the API's
 * envelope; the caller still gets an error result, coded by its status, never a parse exception.
 */
function standInCode(status: number): ErrorCode {
  if (status === 429) return "RATE_LIMITED";
  if (status === 503) return "SERVICE_UNAVAILABLE";
  if (status === 413) return "PAYLOAD_TOO_LARGE";
  return "INTERNAL_ERROR";
}

export async function readResult<T>(response: Response, attempts: number): Promise<CallResult<T>> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const headers = response.headers;
  if (isEnvelope(parsed)) {
    const common = {
      status: response.status,
      meta: parsed.meta,
      trace_id: parsed.meta.trace_id,
      headers,
      attempts,
    };
    return parsed.meta.status === "SUCCESS"
      ? { ok: true, ...common, data: parsed.data as T }
      : { ok: false, ...common, errors: parsed.errors ?? [] };
  }
  const traceId = headers.get("x-trace-id") ?? "";
  return {
    ok: false,
    status: response.status,
    meta: { status: "ERROR", trace_id: traceId, version: headers.get("x-api-version") ?? "" },
    trace_id: traceId,
    errors: [
      {
        code: standInCode(response.status),
        message: `HTTP ${response.status} without the API's envelope: ${text.slice(0, 200)}`,
      },
    ],
    headers,
    attempts,
  };
}
