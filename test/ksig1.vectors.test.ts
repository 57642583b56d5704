import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as web from "@vetted/client/ksig1";
import {
  contentDigest,
  decodeSecretKey,
  parseSignedElements,
  sign,
  signRequest,
  stringToSign,
} from "../src/auth/ksig1.js";

const SECRET = "xBeain5pFnPyQkl98qzA+BG+Cjzskpqq9fGKDbDoXNP5";
const API_KEY = "sb_3eY9UJuj09636NVPlgmhfa";
const BODY = Buffer.from('{"account_id":"sb_j8gh53b","workflow":{"type":"ACCOUNT_PROVISIONING"}}', "utf8");

describe("KSig1 test vectors (ksig1.md)", () => {
  it("the secret key decodes to 33 bytes", () => {
    assert.equal(decodeSecretKey(SECRET).length, 33);
  });

  it("vector 1: API key alone", () => {
    const elements = parseSignedElements(undefined);
    assert.deepEqual(elements, ["API-Key"]);
    const toSign = stringToSign(["API-Key"], { apiKey: API_KEY, method: "POST", target: "/x" });
    assert.equal(toSign, API_KEY);
    assert.equal(sign(decodeSecretKey(SECRET), toSign), "iWEh4jjK9wfjTXd/3GzImPLL1swTZiCPpDbj62vFo2Q=");
  });

  it("vector 2: strict with Content-SHA256", () => {
    const elements = parseSignedElements("API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;Content-SHA256");
    assert.ok(elements);
    const contentHash = contentDigest("Content-SHA256", BODY);
    assert.equal(contentHash, "/l5EwM2luHbpS79iE2gTmXCaTz2rQ/yYN4jY8N3zT88=");
    const toSign = stringToSign(elements, {
      apiKey: API_KEY,
      method: "POST",
      target: "/workflow.create",
      timestamp: "1764307200",
      nonce: "n-4f1c2a9e7b3d",
      contentHash,
    });
    assert.equal(
      toSign,
      `${API_KEY}\nPOST\n/workflow.create\n1764307200\nn-4f1c2a9e7b3d\n/l5EwM2luHbpS79iE2gTmXCaTz2rQ/yYN4jY8N3zT88=`,
    );
    assert.equal(sign(decodeSecretKey(SECRET), toSign), "pZgbnMQ/iQn/2GId88qL++EuyhYJVqeWZVkCiyz7HfA=");
  });

  it("vector 3: Content-MD5 variant", () => {
    const elements = parseSignedElements("API-Key;HTTP-Verb;Timestamp;Content-MD5");
    assert.ok(elements);
    const contentHash = contentDigest("Content-MD5", BODY);
    assert.equal(contentHash, "cn4MB6rNx1tzlQvWbhktMQ==");
    const toSign = stringToSign(elements, {
      apiKey: API_KEY,
      method: "POST",
      target: "/workflow.create",
      timestamp: "1764307200",
      contentHash,
    });
    assert.equal(toSign, `${API_KEY}\nPOST\n1764307200\ncn4MB6rNx1tzlQvWbhktMQ==`);
    assert.equal(sign(decodeSecretKey(SECRET), toSign), "++4zmBfWQnPsqomL1sWahFDBmJVadnv4jMaMBDPNbTM=");
  });

  it("signRequest produces vector 2's headers", () => {
    const headers = signRequest(
      { apiKey: API_KEY, secretKey: SECRET, authToken: "token" },
      { target: "/workflow.create", body: BODY, timestamp: 1764307200, nonce: "n-4f1c2a9e7b3d" },
    );
    assert.equal(headers.authorization, "KSig1-HMAC-SHA256 pZgbnMQ/iQn/2GId88qL++EuyhYJVqeWZVkCiyz7HfA=");
    assert.equal(
      headers["x-api-signed-elements"],
      "API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;Content-SHA256",
    );
    assert.equal(headers["x-api-content-hash"], "/l5EwM2luHbpS79iE2gTmXCaTz2rQ/yYN4jY8N3zT88=");
  });

  it("rejects malformed element lists", () => {
    for (const bad of [
      "",
      "HTTP-Verb;API-Key",
      "API-Key;;HTTP-Verb",
      "API-Key;HTTP-Verb;HTTP-Verb",
      "API-Key;Content-MD5;Content-SHA256",
      "API-Key;http-verb",
      "API-Key; HTTP-Verb",
    ]) {
      assert.equal(parseSignedElements(bad), null, bad);
    }
  });
});

describe("KSig1 test vectors through the SDK's Web Crypto signer (@vetted/client/ksig1)", () => {
  const TARGET = "/workflow.create";
  const credentials = { apiKey: API_KEY, secretKey: SECRET, authToken: "token" };

  it("the secret key decodes to the same 33 bytes as the server's decoder", () => {
    assert.deepEqual(Buffer.from(web.decodeSecretKey(SECRET)), decodeSecretKey(SECRET));
  });

  it("vectors 1–3: the same digests and signatures", async () => {
    assert.equal(
      await web.sign(web.decodeSecretKey(SECRET), API_KEY),
      "iWEh4jjK9wfjTXd/3GzImPLL1swTZiCPpDbj62vFo2Q=",
    );
    assert.equal(
      await web.contentDigest("Content-SHA256", BODY),
      "/l5EwM2luHbpS79iE2gTmXCaTz2rQ/yYN4jY8N3zT88=",
    );
    assert.equal(await web.contentDigest("Content-MD5", BODY), "cn4MB6rNx1tzlQvWbhktMQ==");
    const md5 = await web.signRequest(credentials, {
      target: TARGET,
      body: BODY,
      timestamp: 1764307200,
      elements: ["API-Key", "HTTP-Verb", "Timestamp", "Content-MD5"],
    });
    assert.equal(md5.authorization, "KSig1-HMAC-SHA256 ++4zmBfWQnPsqomL1sWahFDBmJVadnv4jMaMBDPNbTM=");
    assert.equal(md5["x-api-nonce"], undefined);
  });

  it("vectors 1 and 2 through signRequest: the headers a client sends", async () => {
    const apiKeyOnly = await web.signRequest(credentials, {
      target: TARGET,
      body: BODY,
      elements: ["API-Key"],
    });
    assert.deepEqual(apiKeyOnly, {
      authorization: "KSig1-HMAC-SHA256 iWEh4jjK9wfjTXd/3GzImPLL1swTZiCPpDbj62vFo2Q=",
      "x-api-key": API_KEY,
      "x-api-auth-token": "token",
    });
    const strict = await web.signRequest(credentials, {
      target: TARGET,
      body: BODY,
      timestamp: 1764307200,
      nonce: "n-4f1c2a9e7b3d",
    });
    assert.deepEqual(strict, {
      authorization: "KSig1-HMAC-SHA256 pZgbnMQ/iQn/2GId88qL++EuyhYJVqeWZVkCiyz7HfA=",
      "x-api-key": API_KEY,
      "x-api-auth-token": "token",
      "x-api-signed-elements": "API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;Content-SHA256",
      "x-api-timestamp": "1764307200",
      "x-api-nonce": "n-4f1c2a9e7b3d",
      "x-api-content-hash": "/l5EwM2luHbpS79iE2gTmXCaTz2rQ/yYN4jY8N3zT88=",
    });
  });

  it("signRequest's headers equal the server-side signer's for the same inputs", async () => {
    const options = {
      target: TARGET,
      body: BODY,
      timestamp: 1764307200,
      nonce: "n-4f1c2a9e7b3d",
      version: "2025-03-24",
    };
    const elements = [
      "API-Key",
      "HTTP-Verb",
      "URL-Path",
      "Timestamp",
      "Nonce",
      "API-Version",
      "Content-SHA256",
    ] as const;
    assert.deepEqual(
      await web.signRequest(credentials, { ...options, elements }),
      signRequest(credentials, { ...options, elements }),
    );
    const defaults = await web.signRequest(credentials, { target: TARGET, body: BODY });
    assert.equal(
      defaults["x-api-signed-elements"],
      "API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;Content-SHA256",
    );
    assert.match(defaults["x-api-nonce"] ?? "", /^[A-Za-z0-9_-]{22}$/);
  });
});
