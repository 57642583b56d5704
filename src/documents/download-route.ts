/**
 * `GET /downloads/{document_id}?expires=…&signature=…` (data.md §10.5): the bytes of a COMPLETED
 * document, streamed — from its file on SQLite, chunk by chunk from the database on PostgreSQL —
 * so a 25 MiB download never sits whole in memory.
 */
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { DocumentRecord } from "../domain/documents.js";
import { ApiError, notFound404 } from "../errors.js";
import { sendError } from "../http/error-handling.js";
import type { Store } from "../store/store.js";
import { downloadLinkValid } from "./download-links.js";
import { releasing } from "./memory-valve.js";
import type { DocumentSettings } from "./settings.js";
import { storageKey } from "./upload-policy.js";
import type { DocumentRouteDeps } from "./upload-route.js";

export function registerDownloadRoute(app: FastifyInstance, deps: DocumentRouteDeps): void {
  app.get<{ Params: { documentId: string }; Querystring: Record<string, unknown> }>(
    "/downloads/:documentId",
    { schema: { hide: true } },
    async (request, reply) => {
      const id = request.params.documentId;
      const { expires, signature } = request.query;
      if (
        !downloadLinkValid(deps.documents.downloadKey, id, expires, signature, deps.clock.now().getTime())
      ) {
        return sendError(
          reply,
          new ApiError("PERMISSION_DENIED", {
            message: "The download link is invalid or has expired",
            field: null,
          }),
        );
      }
      const document = await deps.store.getDocument(id);
      if (document?.upload_status !== "COMPLETED") {
        return sendError(reply, notFound404("Document", "document_id"));
      }
      const body = await openBytes(deps.store, deps.documents, document);
      if (!body) return sendError(reply, notFound404("Document", "document_id"));
      return reply
        .header("content-type", document.content_type)
        .header("content-length", String(document.file_size))
        .header("content-disposition", `attachment; filename*=UTF-8''${encodeRFC5987(document.file_name)}`)
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "private, no-store")
        .send(body);
    },
  );
}

/** RFC 5987 percent-encoding: encodeURIComponent leaves a few characters the grammar forbids. */
function encodeRFC5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function openBytes(
  store: Pick<Store, "openDocumentBytes">,
  documents: DocumentSettings,
  document: DocumentRecord,
): Promise<Readable | undefined> {
  if (documents.dialect === "sqlite") {
    const file = path.join(documents.filesDir, storageKey(document));
    try {
      const handle = await fs.promises.open(file, "r");
      return releasing(handle.createReadStream());
    } catch {
      return undefined;
    }
  }
  const bytes = await store.openDocumentBytes?.(document.id);
  return bytes && releasing(bytes);
}
