/**
 * Encryption at rest for secrets the server must be able to read back (API secret keys, webhook
 * shared secrets): AES-256-GCM under the operator's master key. The row's own ID is bound in as
 * additional authenticated data, so a ciphertext copied onto another row does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";

export interface SecretBox {
  seal(plaintext: Buffer, boundTo: string): string;
  open(sealed: string, boundTo: string): Buffer;
}

export function createSecretBox(masterKey: Buffer): SecretBox {
  if (masterKey.length !== 32) throw new Error("master key must be 32 bytes");
  return {
    seal(plaintext, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", masterKey, iv);
      cipher.setAAD(Buffer.from(boundTo, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")}`;
    },
    open(sealed, boundTo) {
      const [version, payload] = sealed.split(":");
      if (version !== VERSION || !payload) throw new Error("unknown secret format");
      const raw = Buffer.from(payload, "base64");
      const decipher = createDecipheriv("aes-256-gcm", masterKey, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(boundTo, "utf8"));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
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
