import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Base62 of an unsigned big-endian integer, without padding (Kompliant's IDs are unpadded). Long
 * division over 32-bit limbs in plain numbers (remainder × 2^32 + limb stays below 2^53): several
 * times faster than BigInt, and every request makes three or four IDs.
 */
export function base62(bytes: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes, padded.length - bytes.length);
  const limbs: number[] = [];
  for (let i = 0; i < padded.length; i += 4) {
    limbs.push(
      (padded[i] ?? 0) * 0x1000000 +
        (((padded[i + 1] ?? 0) << 16) | ((padded[i + 2] ?? 0) << 8) | (padded[i + 3] ?? 0)),
    );
  }
  let out = "";
  while (limbs.some((limb) => limb !== 0)) {
    let remainder = 0;
    for (let i = 0; i < limbs.length; i++) {
      const current = remainder * 0x100000000 + (limbs[i] ?? 0);
      const quotient = Math.floor(current / 62);
      limbs[i] = quotient;
      remainder = current - quotient * 62;
    }
    out = BASE62[remainder] + out;
  }
  return out === "" ? "0" : out;
}

/** Random characters drawn uniformly from Base62 (rejection sampling keeps the distribution flat). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  return out;
}

export const ID_PREFIXES = {
  organization: "org_",
  subjectRecord: "sr_",
  workflow: "w_",
  trace: "trc_",
  pricingModel: "pm_",
  equipmentCollection: "ec_",
  event: "wh_",
  sandbox: "sb_",
  live: "lv_",
  // Subject-record data (data.md §2.7).
  business: "b_",
  person: "p_",
  bankAccount: "ba_",
  businessOwner: "bo_",
  businessBankAccount: "bba_",
  businessLocation: "bl_",
  salesInfo: "bsi_",
  location: "l_",
  locationBankAccount: "lba_",
  issuedIdentifier: "pii_",
  metadata: "md_",
  document: "d_",
  accountDocumentType: "adt_",
  // Webhooks (webhooks.md); key IDs are not random (webhook-keys.ts).
  webhookConfig: "whc_",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * 128-bit values cut from a larger buffer of CSPRNG output: one getrandom call per 512 IDs
 * instead of one per ID (a request makes three or four), as Node's own randomUUID does.
 */
const POOL_BYTES = 16 * 512;
let pool = Buffer.alloc(0);
let offset = 0;

function random128(): Buffer {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const value = pool.subarray(offset, offset + 16);
  offset += 16;
  return value;
}

/**
 * A public ID: prefix + Base62 of 128 random bits, unpadded, 21–22 characters, as wire.md fixes.
 * About 1 value in 480 is below 62^20 and would encode to 20 characters or fewer; those are drawn
 * again rather than padded, so every ID has the length the spec promises (clients may check it).
 */
export function newId(kind: IdKind): string {
  for (;;) {
    const body = base62(random128());
    if (body.length >= 21) return ID_PREFIXES[kind] + body;
  }
}

/** The regular expression an input ID of this prefix must match: 1–22 Base62 characters. */
export function idPattern(...prefixes: string[]): string {
  return `^(${prefixes.join("|")})[0-9A-Za-z]{1,22}$`;
}
