/**
 * One upload's checks (data.md §10.3 steps 3–6) and its spool: the form's fields are checked
 * against the document's policy when the file part starts, then the file's bytes go to a
 * temporary file (0600) while their size, leading signature and SHA-256 are computed. Nothing is
 * visible until `complete` runs the write procedure; `discard` removes the spool.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Clock } from "../domain/clock.js";
import type { DocumentInAccount } from "../domain/document-store.js";
import { documentAlreadyUploaded, uploadNotAuthorised } from "../domain/documents.js";
import { badRequest, notFound404 } from "../errors.js";
import type { Store } from "../store/store.js";
import { ensurePrivateDir, removeQuietly } from "./blob-files.js";
import type { DocumentSettings } from "./settings.js";
import { fieldsMatch, policyVerifies, presignValues, storageKey } from "./upload-policy.js";

/** The leading bytes each content type must start with (§10.3 step 6). */
const SIGNATURES: Record<string, Buffer> = {
  "application/pdf": Buffer.from("%PDF-", "latin1"),
  "image/jpeg": Buffer.from([0xff, 0xd8, 0xff]),
  "image/png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
};

/** The name of a spooled upload: housekeeping reads the document ID back from it. */
export function spoolFileName(documentId: string): string {
  return `.${documentId}.${randomBytes(6).toString("hex")}.upload`;
}

export function documentIdOfSpoolFile(name: string): string | undefined {
  return /^\.(d_[0-9A-Za-z]+)\.[0-9a-f]{12}\.upload$/.exec(name)?.[1];
}

export class UploadAttempt {
  private readonly fields = new Map<string, string>();
  private document: DocumentInAccount | undefined;
  private authorised = false;
  private fileStarted = false;
  private fileEnded = false;
  /** A part came after the file part, or the file came before the policy (§10.3 step 6). */
  private notLast = false;
  private size = 0;
  private head = Buffer.alloc(0);
  private readonly hash = createHash("sha256");
  private spool: { path: string; handle: fs.FileHandle } | undefined;

  constructor(
    private readonly documentId: string,
    private readonly deps: { store: Store; clock: Clock; documents: DocumentSettings },
  ) {}

  field(name: string, value: string): void {
    // Judged at the end, after steps 3–5, which the whole form's fields decide.
    if (this.fileStarted) this.notLast = true;
    // A field given twice cannot match the policy: keep a marker that never equals a value.
    this.fields.set(name, this.fields.has(name) ? "\u0000duplicate" : value);
  }

  /** Steps 3–5, once: the document exists, the policy verifies and is in time, not yet uploaded. */
  async authorise(): Promise<DocumentInAccount> {
    if (this.document && this.authorised) return this.document;
    const document = /^d_[0-9A-Za-z]{1,22}$/.test(this.documentId)
      ? await this.deps.store.getDocument(this.documentId)
      : undefined;
    if (!document) throw notFound404("Document", "document_id");
    const expected = presignValues(document, this.deps.documents.uploadSecret);
    const now = this.deps.clock.now().toISOString();
    if (!policyVerifies(this.fields, expected) || now > document.upload_deadline) throw uploadNotAuthorised();
    if (document.upload_status === "COMPLETED") throw documentAlreadyUploaded();
    this.document = document;
    this.authorised = true;
    return document;
  }

  /** Another part after the file part: refused at the end, in the order of the checks. */
  partAfterFile(): void {
    this.notLast = true;
  }

  async startFile(): Promise<void> {
    this.fileStarted = true;
    if (!this.fields.has("policy") || !this.fields.has("X-Amz-Signature")) {
      // A file before the policy cannot be authorised now: it is not spooled, only refused later.
      this.notLast = true;
      return;
    }
    const document = await this.authorise();
    const expected = presignValues(document, this.deps.documents.uploadSecret);
    if (!fieldsMatch(this.fields, expected)) {
      throw badRequest("The form's fields must be exactly the upload policy's, with their values", null);
    }
    const dir =
      this.deps.documents.dialect === "sqlite"
        ? path.join(this.deps.documents.filesDir, document.subject_record_id)
        : this.deps.documents.spoolDir;
    await ensurePrivateDir(dir);
    const file = path.join(dir, spoolFileName(document.id));
    this.spool = { path: file, handle: await fs.open(file, "wx", 0o600) };
  }

  async fileData(data: Buffer): Promise<void> {
    const document = this.document;
    if (this.notLast) return;
    if (!document || !this.spool) throw new Error("file data before the file part started");
    this.size += data.length;
    if (this.size > document.file_size) {
      throw badRequest(`The file is larger than the declared ${document.file_size} bytes`, "file");
    }
    if (this.head.length < 8) this.head = Buffer.concat([this.head, data.subarray(0, 8 - this.head.length)]);
    this.hash.update(data);
    await this.spool.handle.write(data);
  }

  endFile(): void {
    this.fileEnded = true;
  }

  /** The body has ended: the last checks, then the one transaction that completes the upload. */
  async complete(): Promise<void> {
    const document = await this.authorise();
    if (!fieldsMatch(this.fields, presignValues(document, this.deps.documents.uploadSecret))) {
      throw badRequest("The form's fields must be exactly the upload policy's, with their values", null);
    }
    if (this.notLast) throw badRequest("The file part must be the last part of the form", "file");
    if (!this.fileStarted || !this.fileEnded || !this.spool)
      throw badRequest("The form has no file part", "file");
    if (this.size !== document.file_size) {
      throw badRequest(`The file is not the declared ${document.file_size} bytes`, "file");
    }
    const signature = SIGNATURES[document.content_type];
    if (!signature || !this.head.subarray(0, signature.length).equals(signature)) {
      throw badRequest(
        `The file's content does not start with the signature of ${document.content_type}`,
        "file",
      );
    }
    await this.spool.handle.sync();
    await this.spool.handle.close();
    const tempPath = this.spool.path;
    this.spool = { ...this.spool, handle: undefined as never };
    await this.deps.store.write({
      guard: { credentialToConfirm: null, nonce: null, idempotency: null },
      procedure: "completeDocumentUpload",
      input: {
        documentId: document.id,
        hash: this.hash.digest("hex"),
        now: this.deps.clock.now().toISOString(),
        bytes: { tempPath, finalPath: path.join(this.deps.documents.filesDir, storageKey(document)) },
      },
    });
  }

  /** Removes the spool: after a refusal, a failure, a disconnect — or the rename that used it. */
  async discard(): Promise<void> {
    const spool = this.spool;
    this.spool = undefined;
    if (!spool) return;
    await spool.handle?.close().catch(() => {});
    await removeQuietly(spool.path);
  }
}
