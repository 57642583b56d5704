/**
 * Server-side KSig1 verification, in exactly the order ksig1.md fixes; the first failed check
 * names the sub_code. Nothing is written except the nonce of a request that passed.
 */
import type { Clock } from "../domain/clock.js";
import type { CredentialRecord } from "../domain/records.js";
import { authFailed, invalidCredentials, nonceReused } from "../errors.js";
import type { AuthGuard, NonceClaim, StoreTx } from "../store/store.js";
import {
  contentDigest,
  contentElementOf,
  type Element,
  parseSignedElements,
  SCHEME,
  STRICT_ELEMENTS,
  safeEqual,
  stringToSign,
  verify,
} from "./ksig1.js";
import { hashToken, type SecretBox } from "./secret-box.js";

export interface SignedRequest {
  method: string;
  /** The request target as sent: path plus `?query`. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface AuthenticatorDeps {
  store: Pick<StoreTx, "getCredential">;
  secretBox: SecretBox;
  clock: Clock;
  maxClockSkewSeconds: number;
  /** Injected so a test can count the hash work done for known and unknown keys. */
  hashToken?: (token: string) => string;
}

const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
/** Exported for the OpenAPI document, which states them as the headers' patterns. */
export const NONCE_PATTERN = /^[A-Za-z0-9._~-]{8,128}$/;
export const TIMESTAMP_PATTERN = /^\d{1,12}$/;
/** Compared against when the API key is unknown, so both paths do the same hashing work. */
const ABSENT_TOKEN_HASH = hashToken("absent credential");
const SECRET_CACHE_LIMIT = 10_000;

/** The headers read here, as ksig1.md and wire.md spell them (for messages). */
const HEADER_NAMES: Record<string, string> = {
  authorization: "Authorization",
  "x-api-key": "X-API-Key",
  "x-api-auth-token": "X-API-Auth-Token",
  "x-api-signed-elements": "X-API-Signed-Elements",
  "x-api-timestamp": "X-API-Timestamp",
  "x-api-nonce": "X-API-Nonce",
  "x-api-content-hash": "X-API-Content-Hash",
  "x-api-version": "X-API-Version",
};

/**
 * One header's value. Given every copy as sent (Node's `headersDistinct`), a header sent twice is
 * malformed (wire.md): which copy the signer meant cannot be known, so neither is picked.
 */
function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (!Array.isArray(value)) return value;
  if (value.length > 1) {
    throw authFailed("MALFORMED_AUTHORIZATION", `${HEADER_NAMES[name] ?? name} is sent more than once`);
  }
  return value[0];
}

export interface Authenticated {
  credential: CredentialRecord;
  /**
   * What is still to be settled in the database, with the request's effects or before them: the
   * nonce to record (a signature window is 2×skew: a nonce is remembered that long), and a
   * credential taken from memory to read again (only when the caller allowed it).
   */
  guard: AuthGuard;
}

export interface AuthenticateOptions {
  /**
   * The request's own unit of work will read the credential again (store.ts `WriteGuard`), so a
   * credential seen valid before may be used without reading it now: one round trip fewer.
   */
  deferCredentialCheck?: boolean;
}

export interface Authenticator {
  authenticate(request: SignedRequest, options?: AuthenticateOptions): Promise<Authenticated>;
  /** Forgets a remembered credential the database has refused (revoked or removed meanwhile). */
  forget(apiKey: string): void;
}

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  // Decrypting a secret key is done once per sealed value, not once per request. The credential
  // row is still read on every request — or, when the caller defers it, checked unrevoked by the
  // request's own write — so a revocation takes effect on the very next one.
  const secretKeys = new Map<string, { sealed: string; key: Buffer }>();

  function secretKeyOf(credential: CredentialRecord): Buffer {
    const cached = secretKeys.get(credential.api_key);
    if (cached && cached.sealed === credential.secret_key_sealed) return cached.key;
    const key = deps.secretBox.open(credential.secret_key_sealed, credential.api_key);
    if (secretKeys.size >= SECRET_CACHE_LIMIT) secretKeys.clear();
    secretKeys.set(credential.api_key, { sealed: credential.secret_key_sealed, key });
    return key;
  }

  // Credentials that last passed step 3 (known, unrevoked), for requests that defer the check.
  const knownCredentials = new Map<string, CredentialRecord>();
  function remember(credential: CredentialRecord): void {
    if (knownCredentials.size >= SECRET_CACHE_LIMIT) knownCredentials.clear();
    knownCredentials.set(credential.api_key, credential);
  }

  /** Reads a remembered credential again; INVALID_CREDENTIALS (and forgotten) if it is gone. */
  async function confirmCredential(apiKey: string): Promise<void> {
    const credential = await deps.store.getCredential(apiKey);
    if (!credential || credential.revoked_at !== null) {
      knownCredentials.delete(apiKey);
      throw invalidCredentials();
    }
  }

  return {
    forget: (apiKey) => knownCredentials.delete(apiKey),
    async authenticate(request, options = {}) {
      // 1. The three headers, and the scheme.
      const authorization = header(request, "authorization");
      const apiKey = header(request, "x-api-key");
      const authToken = header(request, "x-api-auth-token");
      if (authorization === undefined || apiKey === undefined || authToken === undefined) {
        throw authFailed(
          "MISSING_CREDENTIALS",
          "Authorization, X-API-Key and X-API-Auth-Token headers are required",
        );
      }
      const prefix = `${SCHEME} `;
      const signature = authorization.startsWith(prefix) ? authorization.slice(prefix.length) : "";
      if (!SIGNATURE_PATTERN.test(signature)) {
        throw authFailed("MALFORMED_AUTHORIZATION", `Authorization must be "${SCHEME} <base64 signature>"`);
      }

      // 2. The signed-elements list, and the header each signed element needs.
      const elements = parseSignedElements(header(request, "x-api-signed-elements"));
      if (elements === null) {
        throw authFailed("MALFORMED_AUTHORIZATION", "X-API-Signed-Elements is malformed");
      }
      const timestamp = header(request, "x-api-timestamp");
      const nonce = header(request, "x-api-nonce");
      const version = header(request, "x-api-version");
      const contentHash = header(request, "x-api-content-hash");
      const contentElement = contentElementOf(elements);
      const needs = (
        element: Element,
        value: string | undefined,
        pattern: RegExp | undefined,
        name: string,
      ) => {
        if (!elements.includes(element)) return;
        if (value === undefined || (pattern && !pattern.test(value))) {
          throw authFailed("MALFORMED_AUTHORIZATION", `${name} is missing or malformed`);
        }
      };
      needs("Timestamp", timestamp, TIMESTAMP_PATTERN, "X-API-Timestamp");
      needs("Nonce", nonce, NONCE_PATTERN, "X-API-Nonce");
      needs("API-Version", version, undefined, "X-API-Version");
      if (contentElement) needs(contentElement, contentHash, undefined, "X-API-Content-Hash");

      // 3. Known, unrevoked key whose token matches. Hash work is the same whether or not it exists.
      // A remembered credential answers only for its own token (compared in constant time): a
      // wrong token reads the database exactly as for an unknown key, so no timing tells a key
      // used recently from one that does not exist.
      const presentedHash = (deps.hashToken ?? hashToken)(authToken);
      const known = options.deferCredentialCheck ? knownCredentials.get(apiKey) : undefined;
      const knownTokenMatches = safeEqual(presentedHash, known?.auth_token_hash ?? ABSENT_TOKEN_HASH);
      const remembered = known && knownTokenMatches ? known : undefined;
      const credential = remembered ?? (await deps.store.getCredential(apiKey));
      const credentialToConfirm = remembered ? apiKey : null;
      const live = credential !== undefined && credential.revoked_at === null;
      const tokenMatches = safeEqual(presentedHash, live ? credential.auth_token_hash : ABSENT_TOKEN_HASH);
      if (!live || !tokenMatches) {
        // Only the database's word that the key is gone or revoked forgets it: a wrong token
        // says nothing about the credential.
        if (!live) knownCredentials.delete(apiKey);
        throw invalidCredentials();
      }
      if (!remembered) remember(credential);
      try {
        const nonce = checkSignature(credential, apiKey, elements);
        return { credential, guard: { credentialToConfirm, nonce } };
      } catch (error) {
        // A remembered credential revoked meanwhile must fail as INVALID_CREDENTIALS (step 3),
        // which outranks whatever later check failed.
        if (credentialToConfirm) await confirmCredential(credentialToConfirm);
        throw error;
      }

      /**
       * Steps 4 to 8, on the credential step 3 found (parameters keep the narrowed types). Returns
       * the nonce still to record, if one was signed.
       */
      function checkSignature(
        credential: CredentialRecord,
        apiKey: string,
        elements: Element[],
      ): NonceClaim | null {
        // 4. The credential's signature policy.
        if (
          credential.signature_policy === "strict" &&
          (!STRICT_ELEMENTS.every((e) => elements.includes(e)) || contentElement === undefined)
        ) {
          throw authFailed(
            "INSUFFICIENT_SIGNED_ELEMENTS",
            "This credential must sign API-Key, HTTP-Verb, URL-Path, Timestamp, Nonce and Content-SHA256 or Content-MD5",
          );
        }

        // 5. The signature over the request as received.
        const toSign = stringToSign(elements, {
          apiKey,
          method: request.method,
          target: request.target,
          timestamp,
          nonce,
          version,
          contentHash,
        });
        if (!verify(secretKeyOf(credential), toSign, signature)) {
          throw authFailed("SIGNATURE_MISMATCH", "The signature does not match the request");
        }

        // 6. The body is the one the signature covers.
        if (contentElement && contentDigest(contentElement, request.body) !== contentHash) {
          throw authFailed("CONTENT_HASH_MISMATCH", "X-API-Content-Hash does not match the request body");
        }

        // 7. The signed moment is within the allowed clock skew.
        const nowMs = deps.clock.now().getTime();
        if (timestamp !== undefined && elements.includes("Timestamp")) {
          if (Math.abs(nowMs / 1000 - Number(timestamp)) > deps.maxClockSkewSeconds) {
            throw authFailed("TIMESTAMP_OUT_OF_RANGE", "X-API-Timestamp is outside the allowed clock skew");
          }
        }

        // 8. The nonce is fresh (and bounded in time by a signed timestamp). Recording it is a
        // write, which the caller makes with `claimNonce` — or leaves to the request's unit of
        // work (store.ts `WriteGuard`), saving a round trip and a commit.
        if (nonce !== undefined && elements.includes("Nonce")) {
          if (!elements.includes("Timestamp")) {
            throw authFailed("NONCE_REUSED", "A signed Nonce requires a signed Timestamp");
          }
          return {
            apiKey,
            nonce,
            now: new Date(nowMs).toISOString(),
            seenSince: new Date(nowMs - 2 * deps.maxClockSkewSeconds * 1000).toISOString(),
          };
        }
        return null;
      }
    },
  };
}

/** Records a request's nonce, or throws NONCE_REUSED when it was seen in the window. */
export async function claimNonce(store: Pick<StoreTx, "claimNonce">, claim: NonceClaim): Promise<void> {
  if (!(await store.claimNonce(claim.apiKey, claim.nonce, claim.now, claim.seenSince))) throw nonceReused();
}
