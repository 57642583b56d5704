/** The document object (data.md §4.7), its presenter, and the Content-Type a file name means (§10.2). */
import { Type } from "@sinclair/typebox";
import { creatorOf, type DocumentRecord, uploadStatusAt } from "../domain/documents.js";
import { actorId } from "../domain/events.js";
import { Nullable, StringEnum, Timestamp } from "./schema.js";

const CONTENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
};

export function contentTypeOf(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? undefined : CONTENT_TYPES[fileName.slice(dot + 1).toLowerCase()];
}

export const DocumentObject = Type.Object(
  {
    document_id: Type.String(),
    subject_record_id: Type.String(),
    file_name: Type.String(),
    file_size: Type.Integer(),
    upload_status: StringEnum(["PENDING", "COMPLETED", "EXPIRED"] as const),
    hash: Nullable(Type.String({ description: "Lowercase hex SHA-256 of the bytes, once COMPLETED" })),
    comment: Nullable(Type.String()),
    uploaded_by: Nullable(
      Type.String({ description: "user_id of the credential that created it, once COMPLETED" }),
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: Nullable(Timestamp),
  },
  { title: "Document" },
);

export function presentDocument(document: DocumentRecord, now: string) {
  const completed = document.upload_status === "COMPLETED";
  return {
    document_id: document.id,
    subject_record_id: document.subject_record_id,
    file_name: document.file_name,
    file_size: document.file_size,
    upload_status: uploadStatusAt(document, now),
    hash: completed ? document.hash : null,
    comment: null,
    uploaded_by: completed ? actorId(creatorOf(document)) : null,
    created_at: document.created_at,
    updated_at: document.updated_at,
    deleted_at: null,
  };
}
