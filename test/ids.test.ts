import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { base62, idPattern, newId } from "../src/domain/ids.js";

describe("public IDs (wire.md)", () => {
  it("Base62-encodes big-endian integers without padding", () => {
    assert.equal(base62(Uint8Array.of(0)), "0");
    assert.equal(base62(Uint8Array.of(61)), "z");
    assert.equal(base62(Uint8Array.of(62)), "10");
    assert.equal(base62(Uint8Array.of(1, 0)), "48");
    // 2^128 − 1: the longest body, 22 characters, starting with a digit of at most 7.
    assert.equal(base62(new Uint8Array(16).fill(0xff)), "7n42DGM5Tflk9n8mt7Fhc7");
  });

  it("encodes any byte string as BigInt arithmetic would", () => {
    const reference = (bytes: Uint8Array) => {
      let n = 0n;
      for (const b of bytes) n = (n << 8n) | BigInt(b);
      let out = "";
      do {
        out = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[Number(n % 62n)] + out;
        n /= 62n;
      } while (n > 0n);
      return out;
    };
    for (let i = 0; i < 20_000; i++) {
      const bytes = randomBytes(1 + (i % 24));
      assert.equal(base62(bytes), reference(bytes), bytes.toString("hex"));
    }
  });

  it("are the prefix and 21–22 Base62 characters, accepted by the input pattern, and distinct", () => {
    const pattern = new RegExp(idPattern("w_"));
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = newId("workflow");
      assert.match(id, /^w_[0-9A-Za-z]{21,22}$/);
      assert.ok(pattern.test(id));
      seen.add(id);
    }
    assert.equal(seen.size, 20_000);
    const lengths = new Set([...seen].map((id) => id.length - 2));
    assert.ok([...lengths].every((n) => n === 21 || n === 22));
    assert.ok(lengths.has(22) && lengths.has(21), "random 128-bit values give 21 and 22 characters");
  });
});
