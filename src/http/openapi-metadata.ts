/**
 * What the OpenAPI document says once, outside any method: info, servers, the KSig1 security
 * schemes, and the request and response headers every operation refers to by `$ref`.
 * Header names and rules are ksig1.md's and wire.md's.
 */
import { NONCE_PATTERN, TIMESTAMP_PATTERN } from "../auth/authenticate.js";
import { LATEST_VERSION, SUPPORTED_VERSIONS } from "../domain/versions.js";
import { KEY_PATTERN } from "./idempotency.js";

const SIGNING_GUIDE = "docs/signing.md";

const KSIG1_DESCRIPTION = `KSig1-HMAC-SHA256: every method but meta.checkVersion is signed. Send three headers always —
\`Authorization: KSig1-HMAC-SHA256 <signature>\`, \`X-API-Key\` and \`X-API-Auth-Token\` (the three security
schemes below, required together) — plus the header of each element you sign (the \`X-API-*\` header
parameters of each operation).

1. Choose the signed elements, \`API-Key\` first, and name them in \`X-API-Signed-Elements\` separated by \`;\`.
   Credentials issued with the default \`strict\` policy must sign
   \`API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;Content-SHA256\`.
2. The string to sign is the elements' values in that order joined by a line feed: the API key, \`POST\`,
   the request target (\`/workflow.create\`), \`X-API-Timestamp\` (Unix seconds), \`X-API-Nonce\`, and
   \`X-API-Content-Hash\` (standard Base64 of the SHA-256 of the exact body bytes).
3. The signature is standard Base64 of HMAC-SHA256 keyed with the **Base64-decoded** secret key (33 bytes,
   never the Base64 text) over the UTF-8 string to sign.

A failed check answers 401 AUTHENTICATION_FAILED with a \`sub_code\` naming it. Worked examples and test
vectors: the signing guide, [${SIGNING_GUIDE}](${SIGNING_GUIDE}), in the project's repository.`;

/** Request headers, as reusable parameters; each operation lists the ones it takes. */
export const REQUEST_HEADERS = {
  XApiVersion: {
    name: "X-API-Version",
    in: "header",
    required: false,
    description: `The API version to serve (absent: the latest). Any other value is BAD_REQUEST on field X-API-Version. Must be sent when \`API-Version\` is signed.`,
    schema: { type: "string", enum: [...SUPPORTED_VERSIONS] },
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description:
      "A retry with the same key, method and byte-identical body within 24 hours answers the first response again (header Idempotent-Replayed: true) and writes nothing. The same key with another method or body is IDEMPOTENCY_KEY_REUSED; while the first request runs, IDEMPOTENCY_KEY_IN_USE. 5xx responses are not kept.",
    schema: { type: "string", pattern: KEY_PATTERN.source },
  },
  XApiSignedElements: {
    name: "X-API-Signed-Elements",
    in: "header",
    required: false,
    description:
      "KSig1: the signed elements in signing order, separated by `;`, no spaces, `API-Key` first; absent means `API-Key` alone. Names: API-Key, HTTP-Verb, URL-Path, Timestamp, Nonce, API-Version, Content-MD5, Content-SHA256 (not both content hashes). Required by the default `strict` signature policy.",
    schema: { type: "string" },
    example: "API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;Content-SHA256",
  },
  XApiTimestamp: {
    name: "X-API-Timestamp",
    in: "header",
    required: false,
    description:
      "KSig1: Unix time in whole seconds, required when `Timestamp` is signed; refused more than the allowed clock skew (default 300 s) away from the server's clock.",
    schema: { type: "string", pattern: TIMESTAMP_PATTERN.source },
    example: "1764307200",
  },
  XApiNonce: {
    name: "X-API-Nonce",
    in: "header",
    required: false,
    description:
      "KSig1: a value used once per API key within the clock-skew window, required when `Nonce` is signed (then `Timestamp` must be signed too).",
    schema: { type: "string", pattern: NONCE_PATTERN.source },
    example: "n-4f1c2a9e7b3d",
  },
  XApiContentHash: {
    name: "X-API-Content-Hash",
    in: "header",
    required: false,
    description:
      "KSig1: standard Base64 of the SHA-256 (`Content-SHA256`) or MD5 (`Content-MD5`) digest of the exact body bytes, required when either is signed.",
    schema: { type: "string" },
    example: "/l5EwM2luHbpS79iE2gTmXCaTz2rQ/yYN4jY8N3zT88=",
  },
};

/** The KSig1 signing headers beyond the three security schemes, in the order ksig1.md lists them. */
export const SIGNING_HEADER_PARAMETERS: (keyof typeof REQUEST_HEADERS)[] = [
  "XApiSignedElements",
  "XApiTimestamp",
  "XApiNonce",
  "XApiContentHash",
];

/** Response headers, as reusable header objects. */
export const RESPONSE_HEADERS = {
  "X-Trace-Id": {
    description:
      "The request's trace ID, as in `meta.trace_id`; every log line about the request carries it.",
    schema: { type: "string", pattern: "^trc_[0-9A-Za-z]+$" },
  },
  "Idempotent-Replayed": {
    description:
      "`true` when this is the stored response of an earlier request with the same Idempotency-Key (then X-Trace-Id is that request's). Absent otherwise.",
    schema: { type: "string", enum: ["true"] },
  },
  "Retry-After": {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer", minimum: 0 },
  },
};

/** The three headers KSig1 always requires, one apiKey scheme each: OpenAPI names one header per scheme. */
export const KSIG1_SECURITY = { KSig1: [], KSig1ApiKey: [], KSig1AuthToken: [] };

export const openApiInfo = {
  openapi: "3.1.0",
  info: {
    title: "Vetted API",
    version: LATEST_VERSION,
    summary: "Compliance workflows, wire-compatible with the Kompliant API 2025-03-24.",
    description:
      "Every method is `POST /<method.name>` with a JSON object as body (`Content-Type: application/json`), signed with KSig1-HMAC-SHA256 (see the `KSig1` security scheme). Every answer is an envelope: `meta` (status, trace ID, version) and `data` on success (HTTP 200), or `errors` with a code per error (and `sub_code`, `entity_type`, `field` where they apply). The documented errors of each method are listed per HTTP status, with their codes as enumerations.",
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    contact: { name: "Vetted maintainers (issues in the project's repository)" },
  },
  servers: [
    {
      url: "http://127.0.0.1:8080",
      description:
        "`vetted serve` on its default host and port. A deployment answers at the address its operator gives with `--public-url`.",
    },
  ],
  components: {
    securitySchemes: {
      KSig1: {
        type: "apiKey" as const,
        in: "header" as const,
        name: "Authorization",
        description: KSIG1_DESCRIPTION,
      },
      KSig1ApiKey: {
        type: "apiKey" as const,
        in: "header" as const,
        name: "X-API-Key",
        description: "KSig1: the API key (`sb_…` sandbox, `lv_…` live), always signed as the first element.",
      },
      KSig1AuthToken: {
        type: "apiKey" as const,
        in: "header" as const,
        name: "X-API-Auth-Token",
        description:
          "KSig1: the credential's auth token, sent as issued (never signed, never the secret key).",
      },
    },
    parameters: REQUEST_HEADERS,
    headers: RESPONSE_HEADERS,
  },
};
