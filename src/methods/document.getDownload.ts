import { Type } from "@sinclair/typebox";
import { downloadUrl } from "../documents/download-links.js";
import { ApiError } from "../errors.js";
import { visibleDocument } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { DocumentId, Strict } from "./schema.js";

export const documentGetDownload = defineMethod({
  name: "document.getDownload",
  summary: "A signed link to a COMPLETED document's bytes, valid for 300 seconds.",
  auth: true,
  write: false,
  request: Strict({ document_id: DocumentId }),
  response: Type.Object({
    document: Type.Object({ download_url: Type.String() }, { title: "DocumentDownload" }),
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed document_id" },
    notVisible("The document"),
    {
      code: "SYSTEM_EXCEPTION",
      entity_type: "Document",
      sub_code: "DOCUMENT_NOT_UPLOADED",
      when: "The document is not COMPLETED (PENDING or EXPIRED)",
    },
  ],
  async handler(context, body) {
    const document = await visibleDocument(context, body.document_id, "document_id");
    if (document.upload_status !== "COMPLETED") {
      throw new ApiError("SYSTEM_EXCEPTION", {
        message: "The document has not been uploaded",
        entity_type: "Document",
        sub_code: "DOCUMENT_NOT_UPLOADED",
      });
    }
    const { documents } = context;
    const url = downloadUrl(
      documents.publicUrl(),
      documents.downloadKey,
      document.id,
      context.clock.now().getTime(),
    );
    return { document: { download_url: url } };
  },
});
