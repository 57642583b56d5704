/**
 * The store calls of documents (data.md §10), part of `DomainStore` through data-store.ts. The
 * bytes' own home follows the dialect (§10.1): files on SQLite, chunk rows on PostgreSQL; the
 * write that completes an upload moves them there inside its transaction.
 */
import type { DocumentRecord } from "./documents.js";
import type { Page, PageRequest } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

/** A document with its subject record's account, for the upload and download routes. */
export type DocumentInAccount = DocumentRecord & { account_id: string };

/** Where an upload's spooled bytes are and where they go (documents/blob-store.ts). */
export interface SpooledBytes {
  /** The temporary file the route spooled the upload into. */
  tempPath: string;
  /** SQLite: the document's file, `<data dir>/documents/<key>`; unused on PostgreSQL. */
  finalPath: string;
}

export interface DocumentReads {
  getVisibleDocument(id: string, scope: VisibilityScope): Promise<DocumentRecord | undefined>;
  /** Unscoped: the routes are authorised by their signatures, not by a credential. */
  getDocument(id: string): Promise<DocumentInAccount | undefined>;
  /** PENDING documents whose deadline has not passed, and COMPLETED ones (MAX_DOCUMENT_LIMIT). */
  countLiveDocuments(subjectRecordId: string, now: string): Promise<number>;
  /** The subject record's documents, oldest first (ties by ID). */
  listDocuments(subjectRecordId: string, page: PageRequest): Promise<Page<DocumentRecord>>;
  /** Of these document IDs, those of COMPLETED documents (housekeeping keeps their files). */
  completedDocumentIds(ids: readonly string[]): Promise<string[]>;
}

export interface DocumentWrites {
  insertDocument(document: DocumentRecord): Promise<void>;
  /**
   * The conditional update of data.md §3.4: COMPLETED with `hash` only while PENDING and before
   * the deadline; then the spooled bytes are stored (SQLite: renamed to the document's file;
   * PostgreSQL: inserted as chunks). False when the condition failed; nothing was stored then.
   */
  completeDocumentUpload(input: {
    documentId: string;
    hash: string;
    now: string;
    bytes: SpooledBytes;
  }): Promise<boolean>;
  /** Chunk rows no COMPLETED document owns (PostgreSQL housekeeping); how many went. */
  deleteOrphanDocumentChunks(limit: number): Promise<number>;
}
