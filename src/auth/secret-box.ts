/**
 * Encryption at rest for secrets the server must be able to read back (API secret keys, webhook
 * shared secrets): AES-256-GCM under the operator's master key. The row's own ID is bound in as
 * additional authenticated data, so a ciphertext copied onto another row does not decrypt.
 *
 * Sealed values are "v2:<key ID>:<Base64 of iv|ciphertext|tag>". The key ID names the master key
 * that sealed the value, so during a key rotation a process holding the new key and the previous
 * one opens each value with the right key. "v1:<Base64>" values, sealed before key IDs existed,
 * are tried with every key held.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";

export interface SecretBox {
  /** The ID of the key that seals: the current master key. */
  readonly keyId: string;
  seal(plaintext: Buffer, boundTo: string): string;
  open(sealed: string, boundTo: string): Buffer;
  /**
   * A 32-byte key for another purpose (list cursors' tags), derived from the current master key
   * by HKDF, so it needs no storage of its own and the master key never leaves the box.
   */
  deriveKey(purpose: string): Buffer;
  /**
   * HMAC-SHA256(master key, purpose): the document upload and download signing keys (data.md
   * §10.2, §10.5), which the spec defines this way rather than by HKDF.
   */
  macKey(purpose: string): Buffer;
}

/** 8 bytes of HMAC-SHA-256(key, "vetted master key id"), hex: names a key without revealing it. */
export function masterKeyId(masterKey: Buffer): string {
  return createHmac("sha256", masterKey).update("vetted master key id").digest("hex").slice(0, 16);
}

function openWith(masterKey: Buffer, payload: string, boundTo: string): Buffer {
  const raw = Buffer.from(payload, "base64");
  const decipher = createDecipheriv("aes-256-gcm", masterKey, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
}

/**
 * Seals with `masterKey`; opens what it or any of `previousKeys` sealed. A previous key is held
 * only while a rotation is under way (README, "Operating it").
 */
export function createSecretBox(masterKey: Buffer, previousKeys: readonly Buffer[] = []): SecretBox {
  const keys = [masterKey, ...previousKeys];
  if (keys.some((key) => key.length !== 32)) throw new Error("master key must be 32 bytes");
  const byId = new Map(keys.map((key) => [masterKeyId(key), key] as const));
  const keyId = masterKeyId(masterKey);
  return {
    keyId,
    macKey(purpose) {
      return createHmac("sha256", masterKey).update(purpose).digest();
    },
    deriveKey(purpose) {
      return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), purpose, 32));
    },
    seal(plaintext, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", masterKey, iv);
      cipher.setAAD(Buffer.from(boundTo, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return `v2:${keyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")}`;
    },
    open(sealed, boundTo) {
      const parts = sealed.split(":");
      if (parts[0] === "v2" && parts.length === 3) {
        const key = byId.get(parts[1] as string);
        if (!key)
          throw new Error(`sealed under a master key this process does not hold (key ID ${parts[1]})`);
        return openWith(key, parts[2] as string, boundTo);
      }
      if (parts[0] === "v1" && parts.length === 2) {
        let failure: unknown;
        for (const key of keys) {
          try {
            return openWith(key, parts[1] as string, boundTo);
          } catch (error) {
            failure = error;
          }
        }
        throw failure;
      }
      throw new Error("unknown secret format");
    },
  };
}

/**
 * Auth tokens are high-entropy random values, so one SHA-256 is a sound verifier: nothing to
 * brute-force, and it keeps the per-request cost to microseconds.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
