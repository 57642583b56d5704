/** Documents in tests: create one, upload bytes the way an S3 client posts a form, download. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { VettedClient } from "@vetted/client";
import { expectOk } from "./workflows.js";

export const PDF_HEAD = Buffer.from("%PDF-1.7\n", "latin1");
export const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

/** `size` bytes starting with `head`, the rest a repeating pattern. */
export function fileBytes(size: number, head: Buffer = PDF_HEAD): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + 7) & 0xff;
  head.copy(bytes, 0, 0, Math.min(head.length, size));
  return bytes;
}

export const sha256 = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export interface CreatedDocument {
  document_id: string;
  upload_url: string;
  presign_values: Record<string, string>;
}

export async function createDocument(
  client: VettedClient,
  subject_record_id: string,
  file_size_in_bytes: number,
  file_name = "passport.pdf",
): Promise<CreatedDocument> {
  return expectOk(await client.call("document.create", { subject_record_id, file_name, file_size_in_bytes }))
    .document;
}

export interface UploadResponse {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** POSTs the form: the fields as given (default: presign_values unchanged), then the file part. */
export async function upload(
  document: Pick<CreatedDocument, "upload_url" | "presign_values">,
  bytes: Buffer | undefined,
  options: { fields?: [string, string][]; fileFirst?: boolean; url?: string } = {},
): Promise<UploadResponse> {
  const form = new FormData();
  const file = bytes && new Blob([new Uint8Array(bytes)], { type: "application/octet-stream" });
  if (file && options.fileFirst) form.append("file", file, "upload.bin");
  for (const [name, value] of options.fields ?? Object.entries(document.presign_values))
    form.append(name, value);
  if (file && !options.fileFirst) form.append("file", file, "upload.bin");
  const response = await fetch(options.url ?? document.upload_url, { method: "POST", body: form });
  return readUploadResponse(response);
}

export async function readUploadResponse(response: Response): Promise<UploadResponse> {
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** The response's first error, without its trace. */
export function uploadError(response: UploadResponse, status: number): Record<string, unknown> {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const errors = (response.body as { errors: Record<string, unknown>[] }).errors;
  assert.equal(errors.length, 1);
  return errors[0] as Record<string, unknown>;
}

export async function downloadUrl(client: VettedClient, document_id: string): Promise<string> {
  return expectOk(await client.call("document.getDownload", { document_id })).document.download_url;
}
