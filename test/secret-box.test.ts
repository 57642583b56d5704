/**
 * The sealed format: "v2:<key ID>:<Base64>" names the key that sealed it, so a server holding the
 * current and the previous master key picks the right one; "v1:<Base64>" values, written before
 * key IDs existed, still open.
 */
import assert from "node:assert/strict";
import { createCipheriv, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { createSecretBox, masterKeyId } from "../src/auth/secret-box.js";

/** A value sealed exactly as the first release did (AES-256-GCM, "v1:" + Base64(iv|body|tag)). */
function sealV1(key: Buffer, plaintext: Buffer, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `v1:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")}`;
}

describe("secret box", () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const secret = randomBytes(33);

  it("seals as v2 with the key's ID, which is stable and differs between keys", () => {
    const sealed = createSecretBox(newKey).seal(secret, "sb_a");
    assert.match(sealed, /^v2:[0-9a-f]{16}:[A-Za-z0-9+/]+=*$/);
    assert.equal(sealed.split(":")[1], masterKeyId(newKey));
    assert.equal(masterKeyId(newKey), masterKeyId(Buffer.from(newKey)));
    assert.notEqual(masterKeyId(newKey), masterKeyId(oldKey));
    assert.deepEqual(createSecretBox(newKey).open(sealed, "sb_a"), secret);
  });

  it("opens v1 values sealed before key IDs existed, with the current or the previous key", () => {
    assert.deepEqual(createSecretBox(oldKey).open(sealV1(oldKey, secret, "sb_a"), "sb_a"), secret);
    const ring = createSecretBox(newKey, [oldKey]);
    assert.deepEqual(ring.open(sealV1(oldKey, secret, "sb_a"), "sb_a"), secret);
    assert.deepEqual(ring.open(sealV1(newKey, secret, "sb_a"), "sb_a"), secret);
  });

  it("a ring opens values of its previous key by ID but seals only with the current key", () => {
    const sealedOld = createSecretBox(oldKey).seal(secret, "sb_a");
    const ring = createSecretBox(newKey, [oldKey]);
    assert.deepEqual(ring.open(sealedOld, "sb_a"), secret);
    assert.equal(ring.seal(secret, "sb_a").split(":")[1], masterKeyId(newKey));
    assert.equal(ring.keyId, masterKeyId(newKey));
  });

  it("refuses a value of a key it does not hold, a wrong binding and an unknown format", () => {
    const sealedOld = createSecretBox(oldKey).seal(secret, "sb_a");
    assert.throws(() => createSecretBox(newKey).open(sealedOld, "sb_a"), /key ID/);
    assert.throws(() => createSecretBox(oldKey).open(sealedOld, "sb_b"));
    assert.throws(() => createSecretBox(newKey).open(sealV1(oldKey, secret, "sb_a"), "sb_a"));
    assert.throws(() => createSecretBox(newKey).open("v3:xx", "sb_a"), /unknown secret format/);
  });
});
