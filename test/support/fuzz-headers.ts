/**
 * Hostile KSig1 headers made from a correctly signed request: every header deleted, emptied, made
 * huge, filled with Latin-1/UTF-8 bytes, truncated, extended, case-swapped, duplicated or replaced
 * by a valid-looking wrong value; and coherent re-signings that must still fail (wrong secret,
 * too few elements, another body, a stale or future timestamp, a used nonce, another target).
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { ELEMENTS } from "../../src/auth/ksig1.js";
import type { AuthSubCode } from "../../src/errors.js";

export const KSIG1_HEADERS = [
  "authorization",
  "x-api-key",
  "x-api-auth-token",
  "x-api-signed-elements",
  "x-api-timestamp",
  "x-api-nonce",
  "x-api-content-hash",
  "x-api-version",
] as const;
export type KsigHeader = (typeof KSIG1_HEADERS)[number];

export type HeaderEdit =
  | { header: KsigHeader; op: "delete" | "swapCase" | "duplicate" | "base64url" }
  | { header: KsigHeader; op: "replace"; value: string }
  | { header: KsigHeader; op: "truncate" | "flip"; at: number }
  | { header: KsigHeader; op: "insert"; at: number; text: string };

export type Resign =
  | "wrong-secret"
  | "api-key-only"
  | "drop-element"
  | "other-body"
  | "stale"
  | "future"
  | "replayed-nonce"
  | "other-target";

/** The sub_code each re-signing earns when it is the only thing wrong with the request. */
export const RESIGN_SUB_CODE: Record<Resign, AuthSubCode> = {
  "wrong-secret": "SIGNATURE_MISMATCH",
  "api-key-only": "INSUFFICIENT_SIGNED_ELEMENTS",
  "drop-element": "INSUFFICIENT_SIGNED_ELEMENTS",
  "other-body": "CONTENT_HASH_MISMATCH",
  stale: "TIMESTAMP_OUT_OF_RANGE",
  future: "TIMESTAMP_OUT_OF_RANGE",
  "replayed-nonce": "NONCE_REUSED",
  "other-target": "SIGNATURE_MISMATCH",
};

/** What Node's HTTP client lets through in a header value: no NUL, CR or LF; bytes up to 0xFF. */
const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** UTF-8 bytes of any text, as the Latin-1 string fetch sends byte for byte. */
const utf8AsLatin1 = fc
  .string({ unit: "binary", maxLength: 40 })
  .map((s) => Buffer.from(s, "utf8").toString("latin1"));

const base64Of = (sizes: number[]) => fc.constantFrom(...sizes).map((n) => randomBytes(n).toString("base64"));

const genericValue = fc.oneof(
  fc.constantFrom("", " ", "\t", "null", "undefined", "0", ";", "=", "é", "\u00ff\u00fe"),
  fc.integer({ min: 1_000, max: 40_000 }).map((n) => "A".repeat(n)),
  utf8AsLatin1,
  fc.string({ unit: "binary-ascii", maxLength: 80 }),
);

function specificValue(
  header: KsigHeader,
  other: { apiKey: string; authToken: string },
): fc.Arbitrary<string> {
  const now = Math.floor(Date.now() / 1000);
  switch (header) {
    case "authorization":
      return fc.oneof(
        base64Of([16, 32, 33, 64]).map((sig) => `KSig1-HMAC-SHA256 ${sig}`),
        fc.constantFrom(
          "KSig1-HMAC-SHA256",
          "KSig1-HMAC-SHA256 ",
          "Bearer abc",
          "KSig1-HMAC-SHA1 abc=",
          "Basic YTpi",
        ),
      );
    case "x-api-key":
      return fc.oneof(
        fc.constant(other.apiKey),
        fc.stringMatching(/^(sb|lv)_[0-9A-Za-z]{22}$/),
        fc.constantFrom("sb_", "lv_x", "SB_3eY9UJuj09636NVPlgmhfa"),
      );
    case "x-api-auth-token":
      return fc.oneof(fc.constant(other.authToken), fc.stringMatching(/^[0-9A-Za-z]{58}$/));
    case "x-api-signed-elements":
      return fc
        .tuple(
          fc.array(fc.constantFrom(...ELEMENTS, "api-key", "Content-SHA1", "", " URL-Path", "Nonce "), {
            minLength: 1,
            maxLength: 10,
          }),
          fc.constantFrom(";", "; ", ",", ";;", " "),
        )
        .map(([names, separator]) => names.join(separator));
    case "x-api-timestamp":
      return fc.oneof(
        fc.constantFrom("0", "-1", "1.5", "1e9", "99999999999999", "+1764307200", "0x10", "１２３", "NaN"),
        fc.integer({ min: -10_000_000, max: 10_000_000 }).map((d) => String(now + d)),
      );
    case "x-api-nonce":
      return fc.oneof(
        fc.constantFrom("short", "x".repeat(129), "bad nonce!", "ñññññññññ", "n/o/n/c/e/1"),
        fc.stringMatching(/^[A-Za-z0-9._~-]{8,128}$/),
      );
    case "x-api-content-hash":
      return base64Of([0, 16, 20, 32, 64]);
    case "x-api-version":
      return fc.constantFrom(
        "2025-03-25",
        "2024-01-01",
        "2025-3-24",
        "latest",
        "2025-03-24;",
        "2025-03-24,2025-03-24",
      );
  }
}

export function headerEdit(other: { apiKey: string; authToken: string }): fc.Arbitrary<HeaderEdit> {
  return fc.constantFrom(...KSIG1_HEADERS).chain((header) =>
    fc.oneof(
      fc.constantFrom("delete", "swapCase", "duplicate", "base64url").map((op) => ({ header, op })),
      fc.oneof(genericValue, specificValue(header, other)).map((value) => ({ header, op: "replace", value })),
      fc.constantFrom("truncate", "flip").chain((op) => fc.nat().map((at) => ({ header, op, at }))),
      fc
        .tuple(fc.nat(), fc.constantFrom(" ", "\t", "=", "+", "/", "-", ";", "é", "A"))
        .map(([at, text]) => ({ header, op: "insert", at, text })),
    ),
  ) as fc.Arbitrary<HeaderEdit>;
}

export const resign: fc.Arbitrary<Resign> = fc.constantFrom(
  "wrong-secret",
  "api-key-only",
  "drop-element",
  "other-body",
  "stale",
  "future",
  "replayed-nonce",
  "other-target",
);

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
}

/** Applies one edit in place; a value fetch could not send (NUL, CR, LF, > 0xFF) is skipped. */
export function applyEdit(headers: Record<string, string>, edit: HeaderEdit): void {
  const original = headers[edit.header];
  const text = original ?? "";
  const at = "at" in edit ? edit.at % (text.length + 1) : 0;
  let value: string | undefined;
  switch (edit.op) {
    case "delete":
      value = undefined;
      break;
    case "swapCase":
      value = swapCase(text);
      break;
    case "duplicate":
      value = `${text}, ${text}`;
      break;
    case "base64url":
      value = text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      break;
    case "replace":
      value = edit.value;
      break;
    case "truncate":
      value = text.slice(0, at);
      break;
    case "flip":
      value = text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
      break;
    case "insert":
      value = text.slice(0, at) + edit.text + text.slice(at);
      break;
  }
  if (value === undefined) delete headers[edit.header];
  else if (SENDABLE.test(value)) headers[edit.header] = value;
}

/** Header values as the server sees them: fetch and Node trim surrounding spaces and tabs. */
export function asReceived(headers: Record<string, string>, versionSigned: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = value.replace(/^[\t ]+|[\t ]+$/g, "");
  // An unsigned X-API-Version naming the supported version changes nothing.
  if (!versionSigned && out["x-api-version"] === "2025-03-24") delete out["x-api-version"];
  return out;
}
