/**
 * Where document bytes live and how they go (data.md §10.1, §10.6, §12.2): SQLite files at their
 * key with private modes; subjectRecord.delete takes the documents (and PostgreSQL chunks) with
 * it; the housekeeping job deletes bytes no COMPLETED document owns and keeps the rest, also when
 * two run at once; on PostgreSQL a second server process serves the same bytes.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createSecretBox } from "../src/auth/secret-box.js";
import { runDocumentHousekeeping } from "../src/documents/housekeeping.js";
import { documentSettings } from "../src/documents/settings.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import { createDocument, downloadUrl, fileBytes, sha256, upload } from "./support/documents.js";
import { startSecondApp, TEST_MASTER_KEY, useTestServer } from "./support/server.js";
import { createSubjectRecord, expectOk } from "./support/workflows.js";

const SIZE = 3 * 1024 * 1024 + 17;

for (const kind of databaseKinds()) {
  describe(`document storage and housekeeping [${kind}]`, () => {
    const filesDir = path.join(tempDir(), "documents");
    const server = useTestServer(kind, {
      config: { maxClockSkewSeconds: 3600, documents: { maxBytes: 4 * 1024 * 1024, filesDir } },
    });
    const housekeeping = () =>
      runDocumentHousekeeping({
        store: server().store,
        clock: server().clock,
        documents: documentSettings(
          { filesDir },
          { secretBox: createSecretBox(TEST_MASTER_KEY), dialect: kind, listeningUrl: () => server().url },
        ),
      });

    it("stores a COMPLETED document's bytes (several chunks) and housekeeping keeps them", async () => {
      const { client, account } = await server().fixture();
      const sr = await createSubjectRecord(client, account.id);
      const created = await createDocument(client, sr, SIZE, "Big.PDF");
      const bytes = fileBytes(SIZE);
      assert.equal((await upload(created, bytes)).status, 204);
      if (kind === "sqlite") {
        const file = path.join(filesDir, sr, `${created.document_id}.pdf`);
        assert.equal(sha256(fs.readFileSync(file)), sha256(bytes));
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
        // Nothing but the document's file: the spool was renamed, not copied.
        assert.deepEqual(fs.readdirSync(path.dirname(file)), [`${created.document_id}.pdf`]);
      }
      server().clock.offsetMs = 1000_000;
      try {
        await Promise.all([housekeeping(), housekeeping()]);
      } finally {
        server().clock.offsetMs = 0;
      }
      const download = await fetch(await downloadUrl(client, created.document_id));
      assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(bytes));
    });

    it("subjectRecord.delete takes the documents; their link is then 404 and their files are gone", async () => {
      const { client, account } = await server().fixture();
      const sr = await createSubjectRecord(client, account.id);
      const created = await createDocument(client, sr, 100);
      assert.equal((await upload(created, fileBytes(100))).status, 204);
      const url = await downloadUrl(client, created.document_id);
      expectOk(await client.call("subjectRecord.delete", { subject_record_id: sr }));
      const gone = await fetch(url);
      assert.equal(gone.status, 404);
      assert.equal(
        ((await gone.json()) as { errors: { code: string }[] }).errors[0]?.code,
        "ENTITY_NOT_FOUND",
      );
      // SQLite: the files went right after the commit, without waiting for housekeeping.
      if (kind === "sqlite") assert.equal(fs.existsSync(path.join(filesDir, sr)), false);
      await housekeeping();
    });

    if (kind === "sqlite") {
      it("deletes a spool and a stray file of a PENDING document only once its deadline is 60 s past", async () => {
        const { client, account } = await server().fixture();
        const sr = await createSubjectRecord(client, account.id);
        const created = await createDocument(client, sr, 100);
        const dir = path.join(filesDir, sr);
        fs.mkdirSync(dir, { recursive: true });
        const stray = path.join(dir, `${created.document_id}.pdf`);
        const spool = path.join(dir, `.${created.document_id}.0123456789ab.upload`);
        fs.writeFileSync(stray, "x");
        fs.writeFileSync(spool, "x");
        server().clock.offsetMs = 900_000 + 30_000;
        try {
          await housekeeping();
          assert.ok(fs.existsSync(stray) && fs.existsSync(spool));
          server().clock.offsetMs = 900_000 + 61_000;
          await Promise.all([housekeeping(), housekeeping()]);
          assert.deepEqual(fs.readdirSync(dir), []);
        } finally {
          server().clock.offsetMs = 0;
        }
        // Such bytes were never served: the document is not COMPLETED.
        const document = expectOk(
          await client.call("document.get", { document_id: created.document_id }),
        ).document;
        assert.equal(document.upload_status, "PENDING");
      });
    }

    if (kind === "postgres") {
      it("a second server process serves identical bytes", async () => {
        const { client, account, credential } = await server().fixture();
        const sr = await createSubjectRecord(client, account.id);
        const created = await createDocument(client, sr, SIZE);
        const bytes = fileBytes(SIZE);
        assert.equal((await upload(created, bytes)).status, 204);
        const second = await startSecondApp(server());
        try {
          const other = second.clientFor(credential);
          const url = expectOk(await other.call("document.getDownload", { document_id: created.document_id }))
            .document.download_url;
          assert.ok(url.startsWith(second.url));
          const download = await fetch(url);
          assert.equal(download.status, 200);
          assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(bytes));
        } finally {
          await second.stop();
        }
      });
    }
  });
}
