/**
 * The upload route and downloads (data.md §10.3, §10.5): a form posted as an S3 client posts it
 * completes the document, with its hash, event and bytes; every refusal of §10.3 in its order, each
 * leaving the document PENDING and retryable; racing uploads; a dropped connection; signed,
 * expiring download links and their headers.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { describe, it } from "node:test";
import { entityEvents } from "./support/data.js";
import { databaseKinds } from "./support/databases.js";
import {
  createDocument,
  downloadUrl,
  fileBytes,
  JPEG_HEAD,
  PNG_HEAD,
  sha256,
  upload,
  uploadError,
} from "./support/documents.js";
import { useTestServer } from "./support/server.js";
import { createSubjectRecord, expectErrors, expectOk } from "./support/workflows.js";

const MAX = 64 * 1024;

for (const kind of databaseKinds()) {
  describe(`document uploads and downloads [${kind}]`, () => {
    const server = useTestServer(kind, {
      config: { maxClockSkewSeconds: 3600, documents: { maxBytes: MAX } },
    });

    async function newDocument(size: number, name = "passport.pdf") {
      const { client, account } = await server().fixture({ credential: { name: "uploader" } });
      const sr = await createSubjectRecord(client, account.id);
      return { client, account, sr, created: await createDocument(client, sr, size, name) };
    }

    const status = async (client: Awaited<ReturnType<typeof newDocument>>["client"], id: string) =>
      expectOk(await client.call("document.get", { document_id: id })).document;

    it("completes an upload of exactly the limit; get, the event and the download agree", async () => {
      const { client, account, sr, created } = await newDocument(MAX);
      const bytes = fileBytes(MAX);
      const response = await upload(created, bytes);
      assert.equal(response.status, 204);
      assert.equal(response.body, undefined);
      const document = await status(client, created.document_id);
      assert.equal(document.upload_status, "COMPLETED");
      assert.equal(document.hash, sha256(bytes));
      assert.equal(document.uploaded_by, "uploader");
      assert.ok(document.updated_at >= document.created_at);
      const events = await entityEvents(server(), account.id, sr);
      assert.deepEqual(
        events.map((e) => [e.event_type, e.actor_id, e.payload.entity_id]),
        [
          ["DOCUMENT_CREATED", "uploader", created.document_id],
          ["DOCUMENT_UPLOADED", "uploader", created.document_id],
        ],
      );
      const url = await downloadUrl(client, created.document_id);
      assert.match(
        url,
        new RegExp(
          `^${server().url}/downloads/${created.document_id}\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`,
        ),
      );
      const download = await fetch(url);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get("content-type"), "application/pdf");
      assert.equal(download.headers.get("content-length"), String(MAX));
      assert.equal(download.headers.get("content-disposition"), "attachment; filename*=UTF-8''passport.pdf");
      assert.equal(download.headers.get("x-content-type-options"), "nosniff");
      assert.equal(download.headers.get("cache-control"), "private, no-store");
      assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(bytes));
      // A second upload of a COMPLETED document (step 5).
      assert.deepEqual(uploadError(await upload(created, bytes), 400), {
        code: "SYSTEM_RULE_VIOLATION",
        message: "The document has already been uploaded",
        entity_type: "Document",
        sub_code: "DOCUMENT_ALREADY_UPLOADED",
      });
    });

    it("refuses limit + 1 byte with 413", async () => {
      const { created } = await newDocument(MAX);
      const overhead = 64 * 1024;
      const response = await fetch(created.upload_url, {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body: Buffer.alloc(MAX + overhead + 1),
      });
      assert.equal(response.status, 413);
      const body = (await response.json()) as { errors: { code: string }[] };
      assert.equal(body.errors[0]?.code, "PAYLOAD_TOO_LARGE");
    });

    it("refuses a body that is not multipart/form-data (step 2) before an unknown document (step 3)", async () => {
      const response = await fetch(`${server().url}/uploads/d_0000000000000000000000`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "hello",
      });
      assert.equal(
        uploadError({ status: response.status, body: await response.json() }, 400).code,
        "BAD_REQUEST",
      );
    });

    it("is 404 for an unknown document, 403 for a tampered or missing signature", async () => {
      const { created } = await newDocument(100);
      const bytes = fileBytes(100);
      const unknown = await upload(created, bytes, {
        url: `${server().url}/uploads/d_0000000000000000000000`,
      });
      assert.equal(uploadError(unknown, 404).code, "ENTITY_NOT_FOUND");
      const fields = Object.entries(created.presign_values);
      const tampered = fields.map(([k, v]): [string, string] => [
        k,
        k === "X-Amz-Signature" ? `${v.slice(0, -1)}${v.endsWith("0") ? "1" : "0"}` : v,
      ]);
      assert.equal(
        uploadError(await upload(created, bytes, { fields: tampered }), 403).code,
        "PERMISSION_DENIED",
      );
      const unsigned = fields.filter(([k]) => k !== "X-Amz-Signature");
      assert.equal(
        uploadError(await upload(created, bytes, { fields: unsigned }), 403).code,
        "PERMISSION_DENIED",
      );
      // Another document's valid policy does not authorise this one.
      const other = await newDocument(100);
      const foreign = await upload(other.created, bytes, { url: created.upload_url });
      assert.equal(uploadError(foreign, 403).code, "PERMISSION_DENIED");
    });

    it("refuses fields missing, extra or altered, a file not last or absent, a wrong size or signature (step 6), then accepts a good upload", async () => {
      const { client, created } = await newDocument(100, "scan.png");
      const good = fileBytes(100, PNG_HEAD);
      const fields = Object.entries(created.presign_values);
      const cases: [string, Parameters<typeof upload>][] = [
        ["missing field", [created, good, { fields: fields.filter(([k]) => k !== "key") }]],
        ["extra field", [created, good, { fields: [...fields, ["acl", "private"]] }]],
        [
          "altered field",
          [created, good, { fields: fields.map(([k, v]) => [k, k === "key" ? `${v}x` : v]) }],
        ],
        ["file not last", [created, good, { fileFirst: true }]],
        ["no file", [created, undefined]],
        ["one byte short", [created, good.subarray(0, 99)]],
        ["one byte long", [created, Buffer.concat([good, Buffer.from([0])])]],
        ["JPEG bytes for a PNG", [created, fileBytes(100, JPEG_HEAD)]],
      ];
      for (const [label, args] of cases) {
        const error = uploadError(await upload(...args), 400);
        assert.equal(error.code, "BAD_REQUEST", label);
        assert.equal((await status(client, created.document_id)).upload_status, "PENDING", label);
      }
      assert.equal((await upload(created, good)).status, 204);
      const document = await status(client, created.document_id);
      assert.equal(document.hash, sha256(good));
    });

    it("refuses an upload after the deadline with 403; the document is EXPIRED", async () => {
      const { client, created } = await newDocument(100);
      server().clock.offsetMs = 901_000;
      try {
        assert.equal(uploadError(await upload(created, fileBytes(100)), 403).code, "PERMISSION_DENIED");
        assert.equal((await status(client, created.document_id)).upload_status, "EXPIRED");
      } finally {
        server().clock.offsetMs = 0;
      }
    });

    it("of two simultaneous uploads, one completes and the other gets DOCUMENT_ALREADY_UPLOADED", async () => {
      const { client, created } = await newDocument(MAX);
      const a = fileBytes(MAX);
      const b = Buffer.from(a);
      b[MAX - 1] = (b[MAX - 1] ?? 0) ^ 0xff;
      const results = await Promise.all([upload(created, a), upload(created, b)]);
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [204, 400]);
      const loser = results.find((r) => r.status === 400);
      assert.equal(uploadError(loser as never, 400).sub_code, "DOCUMENT_ALREADY_UPLOADED");
      const winner = results[0]?.status === 204 ? a : b;
      const document = await status(client, created.document_id);
      assert.equal(document.hash, sha256(winner));
      const download = await fetch(await downloadUrl(client, created.document_id));
      assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(winner));
    });

    it("a connection dropped mid-upload leaves the document PENDING; a good upload then completes", async () => {
      const { client, created } = await newDocument(MAX);
      const url = new URL(created.upload_url);
      await new Promise<void>((resolve) => {
        const request = http.request({
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "multipart/form-data; boundary=zz", "content-length": String(MAX * 2) },
        });
        request.on("error", () => resolve());
        let form = "";
        for (const [k, v] of Object.entries(created.presign_values)) {
          form += `--zz\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
        }
        form += `--zz\r\ncontent-disposition: form-data; name="file"; filename="f"\r\n\r\n`;
        request.write(form);
        request.write(fileBytes(MAX / 2), () => setTimeout(() => request.destroy(), 200));
        request.on("close", () => resolve());
      });
      assert.equal((await status(client, created.document_id)).upload_status, "PENDING");
      const bytes = fileBytes(MAX);
      assert.equal((await upload(created, bytes)).status, 204);
      assert.equal((await status(client, created.document_id)).hash, sha256(bytes));
    });

    it("getDownload is DOCUMENT_NOT_UPLOADED until COMPLETED; an expired or tampered link is 403", async () => {
      const { client, created } = await newDocument(100);
      expectErrors(await client.call("document.getDownload", { document_id: created.document_id }), 400, [
        {
          code: "SYSTEM_EXCEPTION",
          message: "The document has not been uploaded",
          entity_type: "Document",
          sub_code: "DOCUMENT_NOT_UPLOADED",
        },
      ]);
      assert.equal((await upload(created, fileBytes(100))).status, 204);
      const url = await downloadUrl(client, created.document_id);
      const tampered = url.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 1}`);
      const refused = await fetch(tampered);
      assert.equal(refused.status, 403);
      assert.equal(
        ((await refused.json()) as { errors: { code: string }[] }).errors[0]?.code,
        "PERMISSION_DENIED",
      );
      server().clock.offsetMs = 301_000;
      try {
        const expired = await fetch(url);
        assert.equal(expired.status, 403);
        await expired.body?.cancel();
      } finally {
        server().clock.offsetMs = 0;
      }
      assert.equal((await fetch(url)).status, 200);
    });
  });
}
