/**
 * `POST /uploads/{document_id}` (data.md §10.3): outside the method namespace, not KSig1-signed —
 * the signed policy in the form authorises it. The body is read as a stream and counted: crossing
 * the limit is refused at once (413); any other refusal waits for the body's end, so a client
 * that is still sending reads its answer instead of a reset, and the limit keeps its rank.
 */
import type { FastifyInstance } from "fastify";
import type { Clock } from "../domain/clock.js";
import { ApiError, badRequest } from "../errors.js";
import { sendError } from "../http/error-handling.js";
import type { Store } from "../store/store.js";
import { releaseAfter } from "./memory-valve.js";
import { MultipartError, type MultipartEvent, MultipartParser, multipartBoundary } from "./multipart.js";
import type { DocumentSettings } from "./settings.js";
import { UploadAttempt } from "./upload-attempt.js";

/** Room for the form's fields and part headers beside the file (§10.3). */
const FORM_OVERHEAD_BYTES = 64 * 1024;
/** How long the rest of a body refused with 413 is drained before the connection is cut. */
const CUT_OFF_MS = 2000;

export interface DocumentRouteDeps {
  store: Store;
  clock: Clock;
  documents: DocumentSettings;
}

function tooLarge(): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", { message: "The upload is larger than the server accepts" });
}

export function registerUploadRoute(app: FastifyInstance, deps: DocumentRouteDeps): void {
  app.register(async (scope) => {
    // The body is the route's own stream: no parser reads it, so no parser's limit applies.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
    scope.post<{ Params: { documentId: string } }>(
      "/uploads/:documentId",
      { schema: { hide: true } },
      async (request, reply) => {
        const limit = deps.documents.maxBytes + FORM_OVERHEAD_BYTES;
        const declared = Number(request.headers["content-length"]);
        if (Number.isFinite(declared) && declared > limit) {
          // The client would send this many bytes: refused before reading one (step 1).
          reply.header("connection", "close");
          return sendError(reply, tooLarge());
        }
        const attempt = new UploadAttempt(request.params.documentId, deps);
        const boundary = multipartBoundary(request.headers["content-type"]);
        let refusal: ApiError | undefined = boundary
          ? undefined
          : badRequest("The body must be multipart/form-data with a boundary", null);
        const parser = boundary ? new MultipartParser(boundary) : undefined;
        let received = 0;
        let refusedTooLarge = false;
        try {
          for await (const chunk of request.raw as AsyncIterable<Buffer>) {
            received += chunk.length;
            releaseAfter(chunk.length);
            if (received > limit && !refusedTooLarge) {
              refusedTooLarge = true;
              await attempt.discard();
              reply.header("connection", "close");
              sendError(reply, tooLarge());
              // A client that stops sending once answered would hold the connection open.
              setTimeout(() => request.raw.socket?.destroy(), CUT_OFF_MS).unref();
            }
            // Past a refusal the body is only drained, up to twice the limit, then cut off.
            if (refusedTooLarge || refusal) {
              if (received > 2 * limit) request.raw.destroy();
              continue;
            }
            try {
              for (const event of parser?.push(chunk) ?? []) await apply(attempt, event);
            } catch (error) {
              await attempt.discard();
              if (!isRefusal(error)) throw { unexpected: error };
              refusal = asRefusal(error);
            }
          }
        } catch (error) {
          await attempt.discard();
          if (error && typeof error === "object" && "unexpected" in error) throw error.unexpected;
          // The client went away mid-upload: nothing of it stays (§10.3).
          return reply;
        }
        if (refusedTooLarge) return reply;
        try {
          if (refusal) throw refusal;
          parser?.finish();
          await attempt.complete();
        } catch (error) {
          await attempt.discard();
          return sendError(reply, asRefusal(error));
        }
        await attempt.discard();
        return reply.code(204).send();
      },
    );
  });
}

async function apply(attempt: UploadAttempt, event: MultipartEvent): Promise<void> {
  switch (event.kind) {
    case "field":
      attempt.field(event.name, event.value);
      return;
    case "file-start":
      await attempt.startFile();
      return;
    case "file-data":
      await attempt.fileData(event.data);
      return;
    case "file-end":
      attempt.endFile();
      return;
    case "extra-part":
      attempt.partAfterFile();
      return;
    case "end":
      return;
  }
}

function isRefusal(error: unknown): boolean {
  return error instanceof ApiError || error instanceof MultipartError;
}

function asRefusal(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof MultipartError) return badRequest(`Malformed multipart form: ${error.message}`, null);
  throw error;
}
