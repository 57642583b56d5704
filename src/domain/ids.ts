import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Base62 of an unsigned big-endian integer, without padding (Kompliant's IDs are unpadded). */
export function base62(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (n === 0n) return "0";
  let out = "";
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
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
