/** Signed, expiring download links (data.md §10.5). */
import { createHmac, timingSafeEqual } from "node:crypto";

export const DOWNLOAD_LINK_TTL_S = 300;

function signatureOf(key: Buffer, documentId: string, expires: string): Buffer {
  return createHmac("sha256", key).update(`GET\n${documentId}\n${expires}`, "utf8").digest();
}

export function downloadUrl(base: string, key: Buffer, documentId: string, nowMs: number): string {
  const expires = String(Math.floor(nowMs / 1000) + DOWNLOAD_LINK_TTL_S);
  const signature = signatureOf(key, documentId, expires).toString("base64url");
  return `${base}/downloads/${documentId}?expires=${expires}&signature=${signature}`;
}

/** True when the link was signed by this server for this document and has not expired. */
export function downloadLinkValid(
  key: Buffer,
  documentId: string,
  expires: unknown,
  signature: unknown,
  nowMs: number,
): boolean {
  if (typeof expires !== "string" || !/^\d{1,12}$/.test(expires)) return false;
  if (typeof signature !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return false;
  const given = Buffer.from(signature, "base64url");
  const expected = signatureOf(key, documentId, expires);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return Number(expires) * 1000 >= nowMs;
}
