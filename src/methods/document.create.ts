import { randomBytes } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { presignValues } from "../documents/upload-policy.js";
import { newId } from "../domain/ids.js";
import { badRequest } from "../errors.js";
import { callerScope } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { contentTypeOf } from "./document-fields.js";
import { Strict, SubjectRecordId } from "./schema.js";

export const documentCreate = defineMethod({
  name: "document.create",
  summary:
    "Create a PENDING document and the signed S3-style form to upload its bytes with (POST upload_url, multipart, presign_values then file).",
  auth: true,
  write: true,
  request: Strict({
    subject_record_id: SubjectRecordId,
    file_name: Type.String({
      minLength: 1,
      maxLength: 255,
      format: "document-file-name",
      description: "Ends in .pdf, .jpg, .jpeg or .png; no /, \\ or control characters",
    }),
    file_size_in_bytes: Type.Integer({ minimum: 1, description: "1 to the server's --document-max-bytes" }),
  }),
  response: Type.Object({
    document: Type.Object(
      {
        document_id: Type.String(),
        upload_url: Type.String(),
        presign_values: Type.Record(Type.String(), Type.String()),
      },
      { title: "DocumentUpload" },
    ),
  }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed fields; a file_name with /, \\ or control characters or another extension; a size over the server's limit",
    },
    notVisible("The subject record"),
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "MAX_DOCUMENT_LIMIT",
      when: "The subject record already holds 1,000 PENDING or COMPLETED documents",
    },
  ],
  async handler(context, body) {
    const { documents } = context;
    if (body.file_size_in_bytes > documents.maxBytes) {
      throw badRequest(
        `file_size_in_bytes must be at most ${documents.maxBytes} bytes`,
        "file_size_in_bytes",
      );
    }
    const now = context.clock.now();
    const created = now.toISOString();
    const document = await context.write("createDocument", {
      ...callerScope(context),
      now: created,
      document: {
        id: newId("document"),
        subject_record_id: body.subject_record_id,
        file_name: body.file_name,
        file_size: body.file_size_in_bytes,
        content_type: contentTypeOf(body.file_name) ?? "application/octet-stream",
        upload_status: "PENDING",
        upload_deadline: new Date(now.getTime() + documents.uploadTtlSeconds * 1000).toISOString(),
        security_token: randomBytes(32).toString("base64"),
        hash: null,
        creator_name: context.credential?.name ?? null,
        creator_api_key: context.credential?.api_key ?? "",
        created_at: created,
        updated_at: created,
      },
    });
    return {
      document: {
        document_id: document.id,
        upload_url: `${documents.publicUrl()}/uploads/${document.id}`,
        presign_values: presignValues(document, documents.uploadSecret),
      },
    };
  },
});
