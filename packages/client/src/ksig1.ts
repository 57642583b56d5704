/**
 * KSig1-HMAC-SHA256 for any JavaScript runtime: the string to sign (shared with the server's
 * verifier, so the two cannot drift apart) and signing with Web Crypto, which Node 20+, Deno, Bun
 * and every browser provide. No Node-only import: the docs page signs with this very module.
 * MD5 is not in Web Crypto, so the Content-MD5 element (the one Kompliant's own clients sign)
 * takes it from @noble/hashes.
 */
import { md5 } from "@noble/hashes/legacy.js";

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

/** The default: the strict set with the body's SHA-256. */
export const DEFAULT_ELEMENTS: readonly Element[] = [...STRICT_ELEMENTS, "Content-SHA256"];

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

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The secret key's bytes: it is issued as standard Base64 and signing keys HMAC with the decoded
 * bytes, not with the text (the most common signing mistake).
 */
export function decodeSecretKey(secretKeyBase64: string): Uint8Array {
  return Uint8Array.from(atob(secretKeyBase64), (c) => c.charCodeAt(0));
}

// Copies into an ArrayBuffer-backed array, which Web Crypto's BufferSource accepts on every runtime.
function bufferOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** Base64 HMAC-SHA256 of the string to sign, keyed with the decoded secret key bytes. */
export async function sign(secretKey: Uint8Array, toSign: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    bufferOf(secretKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(toSign));
  return toBase64(new Uint8Array(signature));
}

/** Base64 digest of the raw body bytes for a content element. */
export async function contentDigest(element: ContentElement, body: Uint8Array): Promise<string> {
  if (element === "Content-MD5") return toBase64(md5(body));
  return toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", bufferOf(body))));
}

/** A fresh nonce: 16 random bytes, Base64URL without padding (22 characters). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export interface Credentials {
  apiKey: string;
  /** As issued: standard Base64. */
  secretKey: string;
  authToken: string;
}

export interface SignRequestOptions {
  method?: string;
  /** The request target as sent: path and query, e.g. `/workflow.create`. */
  target: string;
  body: Uint8Array;
  /** Defaults to DEFAULT_ELEMENTS (the strict set with `Content-SHA256`). */
  elements?: readonly Element[];
  version?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  nonce?: string;
}

/** What a request signs, its content digest computed by the caller (Web Crypto here, node:crypto on the server). */
export function signingInputOf(
  credentials: Credentials,
  options: SignRequestOptions,
  nonce: string,
  contentHash: string | undefined,
): SigningInput {
  return {
    apiKey: credentials.apiKey,
    method: options.method ?? "POST",
    target: options.target,
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    nonce,
    version: options.version,
    contentHash,
  };
}

/** The headers that authenticate one request. Call it again for every attempt: a nonce is single-use. */
export async function signRequest(
  credentials: Credentials,
  options: SignRequestOptions,
): Promise<Record<string, string>> {
  const elements = options.elements ?? DEFAULT_ELEMENTS;
  const contentElement = contentElementOf(elements);
  const contentHash = contentElement ? await contentDigest(contentElement, options.body) : undefined;
  const input = signingInputOf(credentials, options, options.nonce ?? newNonce(), contentHash);
  const signature = await sign(decodeSecretKey(credentials.secretKey), stringToSign(elements, input));
  return signingHeaders(credentials, elements, input, signature);
}

/** The request headers for a computed signature: the server's tests build them the same way. */
export function signingHeaders(
  credentials: Credentials,
  elements: readonly Element[],
  input: SigningInput,
  signature: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `${SCHEME} ${signature}`,
    "x-api-key": credentials.apiKey,
    "x-api-auth-token": credentials.authToken,
  };
  if (elements.length > 1 || elements[0] !== "API-Key") headers["x-api-signed-elements"] = elements.join(";");
  if (elements.includes("Timestamp") && input.timestamp) headers["x-api-timestamp"] = input.timestamp;
  if (elements.includes("Nonce") && input.nonce) headers["x-api-nonce"] = input.nonce;
  if (input.contentHash) headers["x-api-content-hash"] = input.contentHash;
  if (input.version) headers["x-api-version"] = input.version;
  return headers;
}
