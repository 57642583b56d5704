/**
 * The S3 POST policy of document.create (data.md §10.2), signed with AWS Signature Version 4, so
 * a client that forwards `presign_values` unchanged works against Vetted and against Kompliant.
 * Everything in it follows from the document's row, so the route recomputes it to verify.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { DocumentRecord } from "../domain/documents.js";

const REGION = "local";
const SERVICE = "s3";

/** `sr_…/d_….<ext>`: the document's key, and its file's path under `<data dir>/documents`. */
export function storageKey(document: Pick<DocumentRecord, "id" | "subject_record_id" | "file_name">): string {
  return `${document.subject_record_id}/${document.id}.${fileExtension(document.file_name)}`;
}

/** The lower-cased extension after the last `.` ("" when there is none). */
export function fileExtension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? "" : fileName.slice(dot + 1).toLowerCase();
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** `20261205T013500Z` from an ISO instant. */
function amzDate(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** The form fields of the upload, in the order the spec lists them. */
export function presignValues(document: DocumentRecord, secret: string): Record<string, string> {
  const date = amzDate(document.created_at);
  const day = date.slice(0, 8);
  const fields = {
    "Content-Type": document.content_type,
    key: storageKey(document),
    "x-amz-meta-document-id": document.id,
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `vetted-local/${day}/${REGION}/${SERVICE}/aws4_request`,
    "X-Amz-Date": date,
    "X-Amz-Security-Token": document.security_token,
  };
  const policyJson = JSON.stringify({
    expiration: document.upload_deadline,
    conditions: [
      ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
      ["content-length-range", document.file_size, document.file_size],
    ],
  });
  const policy = Buffer.from(policyJson, "utf8").toString("base64");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), REGION), SERVICE), "aws4_request");
  const signature = hmac(signingKey, policy).toString("hex");
  return { ...fields, policy, "X-Amz-Signature": signature };
}

function sameText(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Step 4 of §10.3: the form carries this document's policy and its signature, unaltered. */
export function policyVerifies(form: ReadonlyMap<string, string>, expected: Record<string, string>): boolean {
  const policyOk = sameText(form.get("policy"), expected.policy ?? "");
  const signatureOk = sameText(form.get("X-Amz-Signature"), expected["X-Amz-Signature"] ?? "");
  return policyOk && signatureOk;
}

/** Step 6: exactly the policy's fields, each with its exact value. */
export function fieldsMatch(form: ReadonlyMap<string, string>, expected: Record<string, string>): boolean {
  const names = Object.keys(expected);
  return form.size === names.length && names.every((name) => form.get(name) === expected[name]);
}
