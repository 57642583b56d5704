/** Every failure leaves as the error envelope, with the status the catalog gives its code. */
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { newId } from "../domain/ids.js";
import { LATEST_VERSION } from "../domain/versions.js";
import { ApiError } from "../errors.js";
import { isDatabaseUnavailable } from "../store/availability.js";
import { errorEnvelope } from "./envelope.js";
import { noteAnsweredError } from "./request-log.js";
import { validationError } from "./validation-errors.js";

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  noteAnsweredError(reply.request, error);
  if (error.details.retryAfter !== undefined) reply.header("retry-after", String(error.details.retryAfter));
  return reply
    .code(error.status)
    .send(errorEnvelope(error.toWire(), reply.request.id, reply.request.apiVersion));
}

/** What a client is told when its request could not even be parsed (no detail to leak). */
const UNREADABLE_REQUEST = "The request could not be read";

const FRAMEWORK_ERRORS: Record<string, () => ApiError> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiError("UNSUPPORTED_MEDIA_TYPE", { message: "Content-Type must be application/json" }),
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new ApiError("PAYLOAD_TOO_LARGE", { message: "Request body is larger than the server accepts" }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ApiError("BAD_REQUEST", { message: "Content-Length does not match the body", field: null }),
};

function toApiError(error: FastifyError, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation) return validationError(error.validation);
  const framework = FRAMEWORK_ERRORS[error.code];
  if (framework) return framework();
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, "database unavailable");
    return new ApiError("SERVICE_UNAVAILABLE", { message: "The database is unavailable", retryAfter: 1 });
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError("BAD_REQUEST", { message: UNREADABLE_REQUEST, field: null });
  }
  request.log.error({ err: error }, "unexpected error");
  return new ApiError("INTERNAL_ERROR", {
    message: `Internal error; quote trace ID ${request.id} when reporting it`,
  });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(reply, toApiError(error, request)));
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them — headers over the size limit,
 * malformed bytes — still get the error envelope and a trace ID (Fastify's default answers a bare
 * `{"error": …}` with status 431 or 400). Installed as Fastify's `clientErrorHandler`.
 */
export function sendClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Duplex,
): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const traceId = newId("trace");
  const apiError = new ApiError("BAD_REQUEST", {
    message:
      error.code === "HPE_HEADER_OVERFLOW"
        ? "Request headers are larger than the server accepts"
        : UNREADABLE_REQUEST,
    field: null,
  });
  this.log.info({ trace_id: traceId, code: error.code }, "unreadable request");
  const body = JSON.stringify(errorEnvelope(apiError.toWire(), traceId, LATEST_VERSION));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${apiError.status} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Trace-Id: ${traceId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const MAX_CAUSE_DEPTH = 4;

/**
 * What the log keeps of an error: its type, code, message and stack. Installed as the logger's
 * `err` serializer (buildApp), so it holds for every `{ err }` the app logs. A PostgreSQL error
 * also carries `detail`, `where`, `hint` and the like, which quote the row or JSON being written —
 * an applicant's name and email — and the log must not hold request data (issue 11); nor do a
 * driver's `parameters` or `query` belong there. The SQLSTATE code and message say what failed.
 */
export function loggedError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const error = value as Error & { code?: unknown; cause?: unknown; errors?: unknown };
  const logged: Record<string, unknown> = { type: error.constructor.name, message: error.message };
  if (typeof error.code === "string" || typeof error.code === "number") logged.code = error.code;
  logged.stack = error.stack;
  if (depth < MAX_CAUSE_DEPTH) {
    if (error.cause !== undefined) logged.cause = loggedError(error.cause, depth + 1);
    // An AggregateError (a connect that failed on every address) says why in its errors.
    if (Array.isArray(error.errors)) logged.errors = error.errors.map((e) => loggedError(e, depth + 1));
  }
  return logged;
}
