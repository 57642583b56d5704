/**
 * KSig1-HMAC-SHA256: the string to sign, signing and signature comparison. This one module is
 * used by the server's verifier and by the client SDK, so the two cannot drift apart.
 * It has no dependency but node:crypto.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SCHEME = "KSig1-HMAC-SHA256";

export const ELEMENTS = [
  "API-Key",
  "HTTP-Verb",
  "URL-Path",
  "Timestamp",
  "Nonce",
  "API-Version",
  "Content-MD5",
  "Content-SHA256",
] as const;
export type Element = (typeof ELEMENTS)[number];
export type ContentElement = "Content-MD5" | "Content-SHA256";

/** What `strict` credentials must sign (plus one of the two content digests). */
export const STRICT_ELEMENTS: readonly Element[] = ["API-Key", "HTTP-Verb", "URL-Path", "Timestamp", "Nonce"];

/** The values each element takes from the request, as received. */
export interface SigningInput {
  apiKey: string;
  method: string;
  target: string;
  timestamp?: string;
  nonce?: string;
  version?: string;
  /** The `X-API-Content-Hash` header value (Base64 digest of the raw body). */
  contentHash?: string;
}

/**
 * Parses `X-API-Signed-Elements`. Absent → exactly `API-Key`. Returns null when malformed:
 * empty names, unknown names, duplicates, `API-Key` not first, or both content digests.
 */
export function parseSignedElements(header: string | undefined): Element[] | null {
  if (header === undefined) return ["API-Key"];
  const names = header.split(";");
  const seen = new Set<string>();
  for (const name of names) {
    if (!(ELEMENTS as readonly string[]).includes(name) || seen.has(name)) return null;
    seen.add(name);
  }
  if (names[0] !== "API-Key") return null;
  if (seen.has("Content-MD5") && seen.has("Content-SHA256")) return null;
  return names as Element[];
}

export function contentElementOf(elements: readonly Element[]): ContentElement | undefined {
  return elements.find((e): e is ContentElement => e === "Content-MD5" || e === "Content-SHA256");
}

function elementValue(element: Element, input: SigningInput): string | undefined {
  switch (element) {
    case "API-Key":
      return input.apiKey;
    case "HTTP-Verb":
      return input.method.toUpperCase();
    case "URL-Path":
      return input.target;
    case "Timestamp":
      return input.timestamp;
    case "Nonce":
      return input.nonce;
    case "API-Version":
      return input.version;
    case "Content-MD5":
    case "Content-SHA256":
      return input.contentHash;
  }
}

/** The element values in order, joined by `\n`. Throws if a signed element has no value. */
export function stringToSign(elements: readonly Element[], input: SigningInput): string {
  return elements
    .map((element) => {
      const value = elementValue(element, input);
      if (value === undefined) throw new Error(`no value for signed element ${element}`);
      return value;
    })
    .join("\n");
}

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

export interface Credentials {
  apiKey: string;
  secretKey: string;
  authToken: string;
}

export interface SignRequestOptions {
  method?: string;
  target: string;
  body: Uint8Array;
  /** Defaults to the strict set with `Content-SHA256`. */
  elements?: readonly Element[];
  version?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  nonce?: string;
}

/** The headers that authenticate one request. */
export function signRequest(credentials: Credentials, options: SignRequestOptions): Record<string, string> {
  const elements = options.elements ?? [...STRICT_ELEMENTS, "Content-SHA256"];
  const contentElement = contentElementOf(elements);
  const input: SigningInput = {
    apiKey: credentials.apiKey,
    method: options.method ?? "POST",
    target: options.target,
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    nonce: options.nonce ?? randomBytes(16).toString("base64url"),
    version: options.version,
    contentHash: contentElement ? contentDigest(contentElement, options.body) : undefined,
  };
  const headers: Record<string, string> = {
    authorization: `${SCHEME} ${sign(decodeSecretKey(credentials.secretKey), stringToSign(elements, input))}`,
    "x-api-key": credentials.apiKey,
    "x-api-auth-token": credentials.authToken,
  };
  if (elements.length > 1 || elements[0] !== "API-Key") headers["x-api-signed-elements"] = elements.join(";");
  if (elements.includes("Timestamp") && input.timestamp) headers["x-api-timestamp"] = input.timestamp;
  if (elements.includes("Nonce") && input.nonce) headers["x-api-nonce"] = input.nonce;
  if (input.contentHash) headers["x-api-content-hash"] = input.contentHash;
  if (options.version) headers["x-api-version"] = options.version;
  return headers;
}
