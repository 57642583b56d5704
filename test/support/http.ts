/**
 * Hand-made requests for tests that must control every byte and header (auth, bad input), and
 * assertions on the error envelope every failure must use.
 */
import assert from "node:assert/strict";
import type { IssuedCredential } from "../../src/admin/operator.js";
import { type SignRequestOptions, signRequest } from "../../src/auth/ksig1.js";
import { LATEST_VERSION } from "../../src/domain/versions.js";
import type { AuthSubCode, WireError } from "../../src/errors.js";
import { recordErrors } from "./error-record.js";

export interface RawResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body (every method response is JSON). */
  json: {
    meta: { status: string; trace_id: string; version: string };
    data?: Record<string, unknown>;
    errors?: WireError[];
  };
}

export interface RawRequest {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** Sends exactly the given method, target, headers and body bytes. */
export async function send(baseUrl: string, target: string, request: RawRequest = {}): Promise<RawResponse> {
  const response = await fetch(baseUrl + target, {
    method: request.method ?? "POST",
    headers: request.headers,
    body:
      typeof request.body === "string" || request.body === undefined
        ? request.body
        : new Uint8Array(request.body),
  });
  const text = await response.text();
  let json: RawResponse["json"];
  try {
    json = JSON.parse(text);
  } catch {
    assert.fail(`response ${response.status} is not JSON: ${text.slice(0, 200)}`);
  }
  recordErrors(target, json);
  return { status: response.status, headers: response.headers, json };
}

/** The headers a correctly signed JSON request carries (strict elements unless told otherwise). */
export function signedHeaders(
  credential: Pick<IssuedCredential, "api_key" | "secret_key" | "auth_token">,
  target: string,
  body: string | Buffer,
  options: Partial<SignRequestOptions> = {},
): Record<string, string> {
  return {
    "content-type": "application/json",
    ...signRequest(
      { apiKey: credential.api_key, secretKey: credential.secret_key, authToken: credential.auth_token },
      { target, body: Buffer.from(body), ...options },
    ),
  };
}

/** Signs and sends one JSON body to a method. */
export function sendSigned(
  baseUrl: string,
  credential: Pick<IssuedCredential, "api_key" | "secret_key" | "auth_token">,
  method: string,
  body: unknown,
  options: Partial<SignRequestOptions> = {},
): Promise<RawResponse> {
  const bytes = typeof body === "string" ? body : JSON.stringify(body);
  const target = `/${method}`;
  return send(baseUrl, target, { body: bytes, headers: signedHeaders(credential, target, bytes, options) });
}

/** The envelope every error response has, with exactly these errors. */
export function assertError(response: RawResponse, status: number, errors: WireError[]): void {
  assert.equal(response.status, status, JSON.stringify(response.json));
  const traceId = response.headers.get("x-trace-id");
  assert.match(traceId ?? "", /^trc_[0-9A-Za-z]{1,22}$/);
  assert.deepEqual(response.json, {
    meta: { status: "ERROR", trace_id: traceId, version: LATEST_VERSION },
    errors,
  });
}

export function assertBadRequest(response: RawResponse, field: string | null, message: string): void {
  assertError(response, 400, [{ code: "BAD_REQUEST", message, field }]);
}

export const AUTH_MESSAGES = {
  MISSING_CREDENTIALS: "Authorization, X-API-Key and X-API-Auth-Token headers are required",
  MALFORMED_AUTHORIZATION: 'Authorization must be "KSig1-HMAC-SHA256 <base64 signature>"',
  MALFORMED_SIGNED_ELEMENTS: "X-API-Signed-Elements is malformed",
  INVALID_CREDENTIALS: "The API key or auth token is not valid",
  INSUFFICIENT_SIGNED_ELEMENTS:
    "This credential must sign API-Key, HTTP-Verb, URL-Path, Timestamp, Nonce and Content-SHA256 or Content-MD5",
  SIGNATURE_MISMATCH: "The signature does not match the request",
  CONTENT_HASH_MISMATCH: "X-API-Content-Hash does not match the request body",
  TIMESTAMP_OUT_OF_RANGE: "X-API-Timestamp is outside the allowed clock skew",
  NONCE_REUSED: "This nonce was already used",
  NONCE_WITHOUT_TIMESTAMP: "A signed Nonce requires a signed Timestamp",
} as const;

/** 401 AUTHENTICATION_FAILED with this sub_code and message, in the error envelope. */
export function assertAuthFailed(response: RawResponse, subCode: AuthSubCode, message: string): void {
  assertError(response, 401, [{ code: "AUTHENTICATION_FAILED", message, sub_code: subCode }]);
}

export function assertSuccess(response: RawResponse): Record<string, unknown> {
  assert.equal(response.status, 200, JSON.stringify(response.json));
  assert.equal(response.json.meta.status, "SUCCESS");
  assert.equal(response.json.meta.trace_id, response.headers.get("x-trace-id"));
  assert.ok(response.json.data);
  return response.json.data;
}
