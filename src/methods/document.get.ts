import { Type } from "@sinclair/typebox";
import { visibleDocument } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { DocumentObject, presentDocument } from "./document-fields.js";
import { DocumentId, Strict } from "./schema.js";

export const documentGet = defineMethod({
  name: "document.get",
  summary: "Get a document; upload_status is EXPIRED once a PENDING document's upload window has passed.",
  auth: true,
  write: false,
  request: Strict({ document_id: DocumentId }),
  response: Type.Object({ document: DocumentObject }),
  errors: [{ code: "BAD_REQUEST", when: "Missing or malformed document_id" }, notVisible("The document")],
  async handler(context, body) {
    const document = await visibleDocument(context, body.document_id, "document_id");
    return { document: presentDocument(document, context.clock.now().toISOString()) };
  },
});
