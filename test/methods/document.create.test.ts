/**
 * document.create, document.get and document.list (data.md §10.2, §10.4): the PENDING document,
 * its signed S3 POST form and event; the file_name rows of §15; the size limit; EXPIRED once the
 * upload window has passed; the document limit's check order; who may see what.
 */

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { VALUE_FORMATS } from "../../src/methods/formats/rules.js";
import { outOfSight, withReader } from "../support/authorization.js";
import { assertEntityEvent, entityEvents } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { createDocument } from "../support/documents.js";
import { TEST_MASTER_KEY, useTestServer } from "../support/server.js";
import {
  badRequest,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const DOCUMENT_ID = /^d_[0-9A-Za-z]{21,22}$/;

function sigv4(policy: string, day: string): string {
  const secret = createHmac("sha256", TEST_MASTER_KEY).update("vetted/upload/v1").digest("base64");
  let key: Buffer = createHmac("sha256", `AWS4${secret}`).update(day).digest();
  for (const part of ["local", "s3", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  return createHmac("sha256", key).update(policy).digest("hex");
}

const FILE_NAME_RULE = VALUE_FORMATS["document-file-name"].message;

for (const kind of databaseKinds()) {
  describe(`document.create, get, list [${kind}]`, () => {
    // A skew past the upload window, so the clock can move beyond a deadline and requests still verify.
    const server = useTestServer(kind, {
      config: { maxClockSkewSeconds: 3600, documents: { maxBytes: 1000 } },
    });

    describe("success", () => {
      it("creates a PENDING document with an S3 POST policy signed with SigV4, and its event", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const sr = await createSubjectRecord(client, account.id);
        const created = await createDocument(client, sr, 123, "SCAN.JPG");
        assert.match(created.document_id, DOCUMENT_ID);
        assert.equal(created.upload_url, `${server().url}/uploads/${created.document_id}`);
        const values = created.presign_values;
        assert.deepEqual(Object.keys(values), [
          "Content-Type",
          "key",
          "x-amz-meta-document-id",
          "X-Amz-Algorithm",
          "X-Amz-Credential",
          "X-Amz-Date",
          "X-Amz-Security-Token",
          "policy",
          "X-Amz-Signature",
        ]);
        assert.equal(values["Content-Type"], "image/jpeg");
        assert.equal(values.key, `${sr}/${created.document_id}.jpg`);
        assert.equal(values["x-amz-meta-document-id"], created.document_id);
        assert.equal(values["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
        const date = values["X-Amz-Date"] ?? "";
        assert.match(date, /^\d{8}T\d{6}Z$/);
        assert.equal(values["X-Amz-Credential"], `vetted-local/${date.slice(0, 8)}/local/s3/aws4_request`);
        assert.equal(Buffer.from(values["X-Amz-Security-Token"] ?? "", "base64").length, 32);
        const policy = JSON.parse(Buffer.from(values.policy ?? "", "base64").toString("utf8"));
        assert.equal(policy.conditions.length, 8);
        assert.deepEqual(policy.conditions[7], ["content-length-range", 123, 123]);
        assert.deepEqual(policy.conditions[1], { key: values.key });
        assert.equal(values["X-Amz-Signature"], sigv4(values.policy ?? "", date.slice(0, 8)));

        const document = expectOk(
          await client.call("document.get", { document_id: created.document_id }),
        ).document;
        assert.match(document.created_at, ISO_MS);
        assert.deepEqual(document, {
          document_id: created.document_id,
          subject_record_id: sr,
          file_name: "SCAN.JPG",
          file_size: 123,
          upload_status: "PENDING",
          hash: null,
          comment: null,
          uploaded_by: null,
          created_at: document.created_at,
          updated_at: document.created_at,
          deleted_at: null,
        });
        // The deadline is 900 s after creation (the default window).
        assert.equal(Date.parse(policy.expiration) - Date.parse(document.created_at), 900_000);
        const events = await entityEvents(server(), account.id, sr);
        assert.equal(events.length, 1);
        assertEntityEvent(
          events[0],
          {
            event_type: "DOCUMENT_CREATED",
            account_id: account.id,
            subject_record_id: sr,
            entity_type: "Document",
            entity_id: created.document_id,
          },
          "ops key",
        );
      });

      it("accepts the file names of §15 and the exact size limit", async () => {
        const { client, account } = await server().fixture();
        const sr = await createSubjectRecord(client, account.id);
        for (const name of ["passport.pdf", "SCAN.JPG", "a.b.png", "x.jpeg"])
          await createDocument(client, sr, 1000, name);
      });

      it("lists documents oldest first, paginated, EXPIRED after the window without moving updated_at", async () => {
        const { client, account } = await server().fixture();
        const sr = await createSubjectRecord(client, account.id);
        const first = await createDocument(client, sr, 10);
        const second = await createDocument(client, sr, 20, "b.png");
        const page = expectOk(await client.call("document.list", { subject_record_id: sr, limit: 1 }));
        assert.deepEqual(
          page.documents.map((d) => d.document_id),
          [first.document_id],
        );
        assert.equal(page.has_more, true);
        const rest = expectOk(
          await client.call("document.list", {
            subject_record_id: sr,
            limit: 1,
            cursor: page.next_cursor ?? "",
          }),
        );
        assert.deepEqual(
          rest.documents.map((d) => d.document_id),
          [second.document_id],
        );
        const before = expectOk(
          await client.call("document.get", { document_id: first.document_id }),
        ).document;
        server().clock.offsetMs = 901_000;
        try {
          const after = expectOk(
            await client.call("document.get", { document_id: first.document_id }),
          ).document;
          assert.equal(after.upload_status, "EXPIRED");
          assert.equal(after.updated_at, before.updated_at);
        } finally {
          server().clock.offsetMs = 0;
        }
      });
    });

    describe("errors", () => {
      it("refuses the file names of §15 and sizes outside 1 to the limit", async () => {
        const { client, account } = await server().fixture();
        const sr = await createSubjectRecord(client, account.id);
        const call = (file_name: string, file_size_in_bytes = 10) =>
          client.call("document.create", { subject_record_id: sr, file_name, file_size_in_bytes });
        expectErrors(await call("passport"), 400, [badRequest("file_name", FILE_NAME_RULE)]);
        expectErrors(await call("x.gif"), 400, [badRequest("file_name", FILE_NAME_RULE)]);
        for (const name of ["../x.pdf", "a/b.pdf", "a\\b.pdf", "a\u0001.pdf"]) {
          expectErrors(await call(name), 400, [badRequest("file_name", FILE_NAME_RULE)]);
        }
        expectErrors(await call("a.pdf", 1001), 400, [
          badRequest("file_size_in_bytes", "must be at most 1000 bytes"),
        ]);
        const zero = await call("a.pdf", 0);
        assert.equal(zero.status, 400);
      });

      it("refuses a 1,001st live document with MAX_DOCUMENT_LIMIT; EXPIRED ones do not count", async () => {
        const { client, account } = await server().fixture();
        const sr = await createSubjectRecord(client, account.id);
        const now = new Date().toISOString();
        const inserted = (i: number, deadline: string) => ({
          id: `d_limit${String(i).padStart(6, "0")}${sr.slice(3, 12)}`,
          subject_record_id: sr,
          file_name: "a.pdf",
          file_size: 1,
          content_type: "application/pdf",
          upload_status: "PENDING" as const,
          upload_deadline: deadline,
          security_token: "x",
          hash: null,
          creator_name: null,
          creator_api_key: "k",
          created_at: now,
          updated_at: now,
        });
        const future = new Date(Date.now() + 3600_000).toISOString();
        const past = new Date(Date.now() - 1000).toISOString();
        // 998 live documents and one already EXPIRED, straight into the store.
        for (let i = 0; i < 999; i += 1)
          await server().store.insertDocument(inserted(i, i === 0 ? past : future));
        await createDocument(client, sr, 1);
        await createDocument(client, sr, 1);
        expectErrors(
          await client.call("document.create", {
            subject_record_id: sr,
            file_name: "a.pdf",
            file_size_in_bytes: 1,
          }),
          400,
          [
            {
              code: "SYSTEM_RULE_VIOLATION",
              message: "The Subject Record cannot hold more than 1000 documents",
              entity_type: "Subject Record",
              sub_code: "MAX_DOCUMENT_LIMIT",
            },
          ],
        );
      });

      it("checks the file name before the subject record (1 → 3)", async () => {
        const { client } = await server().fixture();
        const missing = "sr_0000000000000000000000";
        expectErrors(
          await client.call("document.create", {
            subject_record_id: missing,
            file_name: "x.gif",
            file_size_in_bytes: 1,
          }),
          400,
          [badRequest("file_name", FILE_NAME_RULE)],
        );
        expectErrors(
          await client.call("document.create", {
            subject_record_id: missing,
            file_name: "x.pdf",
            file_size_in_bytes: 1,
          }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
      });

      it("is ENTITY_NOT_FOUND for documents and records of another organization", async () => {
        const owner = await server().fixture();
        const other = await server().fixture();
        const sr = await createSubjectRecord(owner.client, owner.account.id);
        const created = await createDocument(owner.client, sr, 10);
        expectErrors(await other.client.call("document.get", { document_id: created.document_id }), 400, [
          notFound("Document", "document_id"),
        ]);
        expectErrors(await other.client.call("document.list", { subject_record_id: sr }), 400, [
          notFound("Subject Record", "subject_record_id"),
        ]);
        expectErrors(
          await other.client.call("document.create", {
            subject_record_id: sr,
            file_name: "a.pdf",
            file_size_in_bytes: 1,
          }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential may read documents but not create one", async () => {
        const { client, account, reader } = await withReader(server());
        const sr = await createSubjectRecord(client, account.id);
        const created = await createDocument(client, sr, 10);
        expectErrors(
          await reader.call("document.create", {
            subject_record_id: sr,
            file_name: "a.pdf",
            file_size_in_bytes: 1,
          }),
          403,
          [ERRORS.readOnly("document.create")],
        );
        assert.equal(
          expectOk(await reader.call("document.get", { document_id: created.document_id })).document
            .file_size,
          10,
        );
        assert.equal(
          expectOk(await reader.call("document.list", { subject_record_id: sr })).documents.length,
          1,
        );
      });

      it("hides another organization's, an unlisted account's and a live account's documents", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const sr = await createSubjectRecord(owner, accountId);
          const created = await createDocument(owner, sr, 10);
          for (const method of ["document.get", "document.getDownload"] as const) {
            expectErrors(await viewer.call(method, { document_id: created.document_id }), 400, [
              notFound("Document", "document_id"),
            ]);
          }
          expectErrors(await viewer.call("document.list", { subject_record_id: sr }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          expectErrors(
            await viewer.call("document.create", {
              subject_record_id: sr,
              file_name: "a.pdf",
              file_size_in_bytes: 1,
            }),
            400,
            [notFound("Subject Record", "subject_record_id")],
          );
          assert.ok(name);
        }
      });
    });
  });
}
