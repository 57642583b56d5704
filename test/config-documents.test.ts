/** The document settings of operator.md: --public-url, --document-max-bytes, --document-upload-ttl. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "../src/config.js";

describe("document settings", () => {
  it("defaults: no public URL (the listening address), 25 MiB, 900 s", () => {
    const config = parseConfig({}, {});
    assert.equal(config.publicUrl, undefined);
    assert.equal(config.documentMaxBytes, 26_214_400);
    assert.equal(config.documentUploadTtlSeconds, 900);
  });

  it("takes flags before the environment, and keeps the public URL without a trailing slash", () => {
    const config = parseConfig(
      { publicUrl: "https://vetted.example.com/base/", documentMaxBytes: "1000", documentUploadTtl: "60" },
      { VETTED_PUBLIC_URL: "http://ignored", VETTED_DOCUMENT_UPLOAD_TTL_S: "3600" },
    );
    assert.equal(config.publicUrl, "https://vetted.example.com/base");
    assert.equal(config.documentMaxBytes, 1000);
    assert.equal(config.documentUploadTtlSeconds, 60);
    assert.equal(parseConfig({}, { VETTED_DOCUMENT_UPLOAD_TTL_S: "3600" }).documentUploadTtlSeconds, 3600);
  });

  it("refuses a relative or non-http(s) URL, a URL with a query, and a window outside 60–3600 s", () => {
    for (const publicUrl of ["vetted.example.com", "ftp://x", "https://x/?a=1"]) {
      assert.throws(() => parseConfig({ publicUrl }, {}), ConfigError, publicUrl);
    }
    for (const documentUploadTtl of ["59", "3601", "ten"]) {
      assert.throws(() => parseConfig({ documentUploadTtl }, {}), ConfigError, documentUploadTtl);
    }
    assert.throws(() => parseConfig({}, { VETTED_DOCUMENT_MAX_BYTES: "0" }), /VETTED_DOCUMENT_MAX_BYTES/);
  });
});
