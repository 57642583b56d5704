/**
 * What the document methods and routes need from the server (data.md §10, operator.md): limits,
 * the public URL, the signing keys (derived from the master key, never stored) and where bytes
 * live. Built once per app (http/app.ts).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { SecretBox } from "../auth/secret-box.js";
import type { Dialect } from "../store/store.js";

export const DEFAULT_DOCUMENT_MAX_BYTES = 26_214_400;
export const DEFAULT_DOCUMENT_UPLOAD_TTL_S = 900;

export interface DocumentSettings {
  maxBytes: number;
  uploadTtlSeconds: number;
  /** `--public-url`, else the address the server listens on. */
  publicUrl(): string;
  /** The SigV4 secret of upload policies: Base64(HMAC-SHA256(master key, "vetted/upload/v1")). */
  uploadSecret: string;
  /** HMAC-SHA256(master key, "vetted/download/v1"): signs download links. */
  downloadKey: Buffer;
  dialect: Dialect;
  /** SQLite: `<data dir>/documents`, the files' home and the spool of uploads in flight. */
  filesDir: string;
  /** Where uploads are spooled: the files' directory on SQLite (same file system, so rename works). */
  spoolDir: string;
}

export interface DocumentOptions {
  maxBytes?: number;
  uploadTtlSeconds?: number;
  publicUrl?: string;
  /** `<data dir>/documents`; absent: a fresh private temporary directory (tests). */
  filesDir?: string;
}

export function documentSettings(
  options: DocumentOptions,
  deps: { secretBox: Pick<SecretBox, "macKey">; dialect: Dialect; listeningUrl: () => string },
): DocumentSettings {
  // Directories are made when the first upload needs them (blob-files.ts `ensurePrivateDir`).
  const filesDir =
    options.filesDir ??
    path.join(os.tmpdir(), `vetted-documents-${process.pid}-${randomBytes(6).toString("hex")}`);
  const spoolDir = deps.dialect === "sqlite" ? filesDir : path.join(os.tmpdir(), "vetted-upload-spool");
  return {
    maxBytes: options.maxBytes ?? DEFAULT_DOCUMENT_MAX_BYTES,
    uploadTtlSeconds: options.uploadTtlSeconds ?? DEFAULT_DOCUMENT_UPLOAD_TTL_S,
    publicUrl: () => options.publicUrl ?? deps.listeningUrl(),
    uploadSecret: deps.secretBox.macKey("vetted/upload/v1").toString("base64"),
    downloadKey: deps.secretBox.macKey("vetted/download/v1"),
    dialect: deps.dialect,
    filesDir,
    spoolDir,
  };
}
