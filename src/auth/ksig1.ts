/**
 * KSig1-HMAC-SHA256 on the server: the string to sign and the element rules come from the SDK's
 * module (`@vetted/client/ksig1`), so the verifier and every client share one definition; signing
 * and comparison here use node:crypto, which is synchronous — the verifier runs on every request,
 * and the tests and benchmarks sign thousands without awaiting Web Crypto.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import {
  type ContentElement,
  type Credentials,
  contentElementOf,
  DEFAULT_ELEMENTS,
  type SignRequestOptions,
  signingHeaders,
  signingInputOf,
  stringToSign,
} from "@vetted/client/ksig1";

export {
  type ContentElement,
  type Credentials,
  contentElementOf,
  ELEMENTS,
  type Element,
  parseSignedElements,
  SCHEME,
  type SigningInput,
  type SignRequestOptions,
  STRICT_ELEMENTS,
  stringToSign,
} from "@vetted/client/ksig1";

/** Base64 HMAC-SHA256 of the string to sign, keyed with the decoded secret key bytes. */
export function sign(secretKey: Uint8Array, toSign: string): string {
  return createHmac("sha256", secretKey).update(toSign, "utf8").digest("base64");
}

export function decodeSecretKey(secretKeyBase64: string): Buffer {
  return Buffer.from(secretKeyBase64, "base64");
}

/** Base64 digest of the raw body bytes for a content element. */
export function contentDigest(element: ContentElement, body: Uint8Array): string {
  return createHash(element === "Content-MD5" ? "md5" : "sha256")
    .update(body)
    .digest("base64");
}

/** Constant-time string comparison that never throws: lengths are compared first. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

export function verify(secretKey: Uint8Array, toSign: string, signature: string): boolean {
  return safeEqual(sign(secretKey, toSign), signature);
}

/** The headers that authenticate one request. */
export function signRequest(credentials: Credentials, options: SignRequestOptions): Record<string, string> {
  const elements = options.elements ?? DEFAULT_ELEMENTS;
  const contentElement = contentElementOf(elements);
  const contentHash = contentElement ? contentDigest(contentElement, options.body) : undefined;
  const nonce = options.nonce ?? randomBytes(16).toString("base64url");
  const input = signingInputOf(credentials, options, nonce, contentHash);
  const signature = sign(decodeSecretKey(credentials.secretKey), stringToSign(elements, input));
  return signingHeaders(credentials, elements, input, signature);
}
