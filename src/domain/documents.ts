/** document.create and the completion of an upload as write procedures (data.md §10). */
import { ApiError, notFound, notFound404, ruleViolation } from "../errors.js";
import type { DataWriteContext } from "./data-writes.js";
import type { SpooledBytes } from "./document-store.js";
import type { DomainStore } from "./domain-store.js";
import { type Actor, entityEvent } from "./events.js";
import { visibleSubjectRecord } from "./lookups.js";

/** Stored status; `EXPIRED` is computed when read (§10.4). */
export type StoredUploadStatus = "PENDING" | "COMPLETED";
export type UploadStatus = StoredUploadStatus | "EXPIRED";

export interface DocumentRecord {
  id: string;
  subject_record_id: string;
  file_name: string;
  file_size: number;
  content_type: string;
  upload_status: StoredUploadStatus;
  upload_deadline: string;
  /** `X-Amz-Security-Token` of the upload policy: Base64 of 32 random bytes. */
  security_token: string;
  hash: string | null;
  creator_name: string | null;
  creator_api_key: string;
  created_at: string;
  updated_at: string;
}

/** Documents per subject record, either type (data.md §3.2). */
export const MAX_DOCUMENTS_PER_SUBJECT_RECORD = 1000;

export function uploadStatusAt(document: DocumentRecord, now: string): UploadStatus {
  if (document.upload_status === "COMPLETED") return "COMPLETED";
  return document.upload_deadline >= now ? "PENDING" : "EXPIRED";
}

/** The creating credential as events name it (events.ts `Actor`). */
export function creatorOf(document: Pick<DocumentRecord, "creator_name" | "creator_api_key">): Actor {
  return { name: document.creator_name, api_key: document.creator_api_key };
}

/** Checks 1 → 3 → 9 `MAX_DOCUMENT_LIMIT`; not guarded (§3.3), but under the record's lock (§3.4). */
export async function createDocument(
  tx: DomainStore,
  input: DataWriteContext & { document: DocumentRecord },
): Promise<DocumentRecord> {
  const { document } = input;
  const found = await visibleSubjectRecord(tx, input.scope, document.subject_record_id, "subject_record_id");
  const record = await tx.lockSubjectRecord(found.id);
  if (!record) throw notFound("Subject Record", "subject_record_id");
  if ((await tx.countLiveDocuments(record.id, input.now)) >= MAX_DOCUMENTS_PER_SUBJECT_RECORD) {
    throw ruleViolation(
      "Subject Record",
      "MAX_DOCUMENT_LIMIT",
      `The Subject Record cannot hold more than ${MAX_DOCUMENTS_PER_SUBJECT_RECORD} documents`,
    );
  }
  await tx.insertDocument(document);
  const subject = { entity_type: "Document" as const, entity_id: document.id };
  await tx.insertEvent(entityEvent("DOCUMENT_CREATED", record, subject, input.actor, input.now));
  return document;
}

export function documentAlreadyUploaded(): ApiError {
  return ruleViolation("Document", "DOCUMENT_ALREADY_UPLOADED", "The document has already been uploaded");
}

export function uploadNotAuthorised(): ApiError {
  return new ApiError("PERMISSION_DENIED", {
    message: "The upload policy does not authorise this upload, or its deadline has passed",
    field: null,
  });
}

/**
 * The transaction of a checked upload (§10.3): the conditional update, the bytes, the event. Its
 * loser learns why from the row as it now is: gone (404), COMPLETED by a racing upload, or past
 * its deadline (403).
 */
export async function completeDocumentUpload(
  tx: DomainStore,
  input: { documentId: string; hash: string; now: string; bytes: SpooledBytes },
): Promise<void> {
  const completed = await tx.completeDocumentUpload(input);
  const document = await tx.getDocument(input.documentId);
  if (!document) throw notFound404("Document", "document_id");
  if (!completed) {
    if (document.upload_status === "COMPLETED") throw documentAlreadyUploaded();
    throw uploadNotAuthorised();
  }
  const record = { id: document.subject_record_id, account_id: document.account_id };
  const subject = { entity_type: "Document" as const, entity_id: document.id };
  await tx.insertEvent(entityEvent("DOCUMENT_UPLOADED", record, subject, creatorOf(document), input.now));
}
