/**
 * Documents against the real `vetted serve` (data.md §10.1, §10.3): SIGKILL mid-upload and right
 * after the body, then a restart — the document is PENDING with no bytes served, or COMPLETED with
 * exactly the uploaded bytes; and a 25 MiB upload and download grow the server's RSS by less than
 * the file's size, because bytes stream in and out.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import type { VettedClient } from "@vetted/client";
import { type ChildServer, startChildServer, UNLIMITED } from "./support/child-server.js";
import { createTestDatabase, databaseKinds, type TestDatabase, tempDir } from "./support/databases.js";
import {
  type CreatedDocument,
  createDocument,
  downloadUrl,
  fileBytes,
  sha256,
  upload,
} from "./support/documents.js";
import { createRecordingClient } from "./support/error-record.js";
import { createFaultFixture, type FaultFixture } from "./support/fault-fixture.js";
import { createSubjectRecord, expectOk } from "./support/workflows.js";

const MIB = 1024 * 1024;

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1]) * 1024;
}

/** Runs work while sampling the process's RSS every 10 ms; answers the highest sample. */
async function peakRss(pid: number, work: () => Promise<void>): Promise<number> {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssBytes(pid));
}

/** Posts the form's fields and the first `sent` bytes of the file, then calls `then` (which kills the server). */
function partialUpload(
  document: CreatedDocument,
  bytes: Buffer,
  sent: number,
  then: () => void,
): Promise<void> {
  const url = new URL(document.upload_url);
  let head = "";
  for (const [k, v] of Object.entries(document.presign_values)) {
    head += `--zz\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  }
  head += `--zz\r\ncontent-disposition: form-data; name="file"; filename="f"\r\n\r\n`;
  const tail = "\r\n--zz--\r\n";
  return new Promise((resolve) => {
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers: {
        "content-type": "multipart/form-data; boundary=zz",
        "content-length": String(head.length + bytes.length + tail.length),
      },
    });
    request.on("error", () => resolve());
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve());
    });
    request.write(head);
    const complete = sent >= bytes.length;
    request.write(bytes.subarray(0, sent), () => {
      if (complete) request.end(tail, then);
      else setTimeout(then, 300);
    });
  });
}

for (const kind of databaseKinds()) {
  describe(`documents in a real server: crash and memory [${kind}]`, () => {
    let database: TestDatabase;
    let fixture: FaultFixture;
    const dataDir = tempDir("vetted-documents-crash-");
    const children: ChildServer[] = [];

    before(async () => {
      database = await createTestDatabase(kind);
      fixture = await createFaultFixture(database);
    });
    after(async () => {
      for (const child of children) await child.kill();
      await fixture?.store.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function start(): Promise<{ child: ChildServer; client: VettedClient }> {
      const child = await startChildServer({
        database: database.url,
        dataDir,
        args: [...UNLIMITED, "--workers", "1"],
      });
      children.push(child);
      const { credential } = fixture;
      const client = createRecordingClient({
        baseUrl: child.url,
        apiKey: credential.api_key,
        secretKey: credential.secret_key,
        authToken: credential.auth_token,
      });
      return { child, client };
    }

    it("SIGKILL mid-upload, and right after the body: after a restart PENDING, or COMPLETED with exactly the bytes", async () => {
      const size = 8 * MIB;
      const bytes = fileBytes(size);
      for (const sent of [size / 2, size]) {
        const first = await start();
        const sr = await createSubjectRecord(first.client, fixture.account.id);
        const created = await createDocument(first.client, sr, size);
        await partialUpload(created, bytes, sent, () => void first.child.kill());
        await first.child.exited;
        const second = await start();
        const document = expectOk(
          await second.client.call("document.get", { document_id: created.document_id }),
        ).document;
        if (sent < size) assert.equal(document.upload_status, "PENDING");
        if (document.upload_status === "COMPLETED") {
          assert.equal(document.hash, sha256(bytes));
        } else {
          assert.equal(document.upload_status, "PENDING");
          const refused = await second.client.call("document.getDownload", {
            document_id: created.document_id,
          });
          assert.equal(refused.ok, false);
          const retried = { ...created, upload_url: `${second.child.url}/uploads/${created.document_id}` };
          assert.equal((await upload(retried, bytes)).status, 204);
        }
        const download = await fetch(await downloadUrl(second.client, created.document_id));
        assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(bytes));
        await second.child.stop();
      }
    });

    it("downloads cut short mid-stream, more of them than a process streams at once, leave full downloads working", async () => {
      const size = 8 * MIB;
      const { child, client } = await start();
      const sr = await createSubjectRecord(client, fixture.account.id);
      const bytes = fileBytes(size);
      const created = await createDocument(client, sr, size);
      assert.equal((await upload(created, bytes)).status, 204);
      const url = await downloadUrl(client, created.document_id);
      for (let i = 0; i < 6; i++) {
        const aborter = new AbortController();
        const response = await fetch(url, { signal: aborter.signal });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        aborter.abort();
        await reader.read().catch(() => undefined);
      }
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.equal(sha256(Buffer.from(await response.arrayBuffer())), sha256(bytes));
      await child.stop();
    });

    it("a 25 MiB upload and download grow the server's RSS by less than the file's size", async (t) => {
      const size = 25 * MIB;
      const { child, client } = await start();
      const sr = await createSubjectRecord(client, fixture.account.id);
      // Warm up: the code paths of an upload and a download are loaded before the baseline.
      const small = await createDocument(client, sr, 1000);
      assert.equal((await upload(small, fileBytes(1000))).status, 204);
      await (await fetch(await downloadUrl(client, small.document_id))).arrayBuffer();

      const bytes = fileBytes(size);
      const created = await createDocument(client, sr, size);
      const baseline = rssBytes(child.pid);
      const peakUp = await peakRss(child.pid, async () => {
        assert.equal((await upload(created, bytes)).status, 204);
      });
      const url = await downloadUrl(client, created.document_id);
      const peakDown = await peakRss(child.pid, async () => {
        const response = await fetch(url);
        assert.equal(response.status, 200);
        assert.equal(sha256(Buffer.from(await response.arrayBuffer())), sha256(bytes));
      });
      const growth = Math.max(peakUp, peakDown) - baseline;
      const afterBoth = rssBytes(child.pid);
      t.diagnostic(
        `RSS: baseline ${baseline / MIB} MiB, upload peak +${(peakUp - baseline) / MIB}, download peak +${(peakDown - baseline) / MIB}, after +${(afterBoth - baseline) / MIB}`,
      );
      // Streamed bytes leave a buffer per socket or file read, which the documents' memory valve
      // releases every MiB (src/documents/memory-valve.ts), so the growth stays far below the file's
      // size; a server that held the file whole would grow by at least its size. PostgreSQL
      // downloads are one binary COPY stream (store/postgres/document-stream.ts), not hex text.
      assert.ok(growth < size, `RSS grew by ${Math.round(growth / MIB)} MiB for a ${size / MIB} MiB file`);
      await child.stop();
    });
  });
}
