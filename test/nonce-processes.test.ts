/**
 * Replay protection lives in the database (ksig1.md, check 8), so it survives a restart and holds
 * across several `vetted serve` processes on one database; so does revocation. Real child
 * processes of the CLI, real HTTP.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { IssuedCredential } from "../src/admin/operator.js";
import type { Account } from "../src/domain/records.js";
import type { Store } from "../src/store/store.js";
import { type ChildServer, openSideOperator, startChildServer } from "./support/child-server.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import {
  AUTH_MESSAGES,
  assertAuthFailed,
  assertSuccess,
  type RawRequest,
  send,
  sendSigned,
  signedHeaders,
} from "./support/http.js";

function secretsLeaked(child: ChildServer, credential: IssuedCredential): boolean {
  return [...child.stdout, ...child.stderr].some(
    (line) => line.includes(credential.secret_key) || line.includes(credential.auth_token),
  );
}

for (const kind of databaseKinds()) {
  describe(`nonce replay across processes [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    let account: Account;
    let credential: IssuedCredential;
    const children: ChildServer[] = [];
    // Two processes serve the database throughout; the restart test replaces `a` with a new one.
    let a: ChildServer;
    let b: ChildServer;

    before(async () => {
      database = await createTestDatabase(kind);
      const side = await openSideOperator(database);
      store = side.store;
      const organization = await side.operator.createOrganization("Processes");
      account = await side.operator.createAccount({
        organizationId: organization.id,
        environment: "sandbox",
      });
      credential = await side.operator.createCredential({
        organizationId: organization.id,
        environment: "sandbox",
      });
      [a, b] = await Promise.all([start(), start()]);
    });

    after(async () => {
      // The last test stops both gracefully; this only cleans up after a failure.
      for (const child of children) await child.kill();
      await store?.close();
      await database?.drop();
    });

    async function start(): Promise<ChildServer> {
      const child = await startChildServer({ database: database.url });
      children.push(child);
      return child;
    }

    /** A signed subjectRecord.create, kept as exact bytes and headers so it can be replayed. */
    function createRequest(): RawRequest {
      const body = JSON.stringify({ account_id: account.id, subject_record: { type: "BUSINESS" } });
      return { body, headers: signedHeaders(credential, "/subjectRecord.create", body) };
    }

    async function subjectRecordCount(): Promise<number> {
      return (await store.listSubjectRecords(account.id, { limit: 1000 })).items.length;
    }

    it("a request seen before a restart is refused after it", async () => {
      const request = createRequest();
      assertSuccess(await send(a.url, "/subjectRecord.create", request));
      const stopped = a;
      assert.equal(await stopped.stop(), 0);
      a = await start();

      const countBefore = await subjectRecordCount();
      const replay = await send(a.url, "/subjectRecord.create", request);
      assertAuthFailed(replay, "NONCE_REUSED", AUTH_MESSAGES.NONCE_REUSED);
      assert.equal(await subjectRecordCount(), countBefore);
      // The restarted server is otherwise serving this credential normally.
      assertSuccess(await send(a.url, "/subjectRecord.create", createRequest()));
      assert.ok(!secretsLeaked(stopped, credential));
    });

    it("a request served by one process is refused by another on the same database", async () => {
      const request = createRequest();
      assertSuccess(await send(a.url, "/subjectRecord.create", request));
      const countBefore = await subjectRecordCount();
      const replay = await send(b.url, "/subjectRecord.create", request);
      assertAuthFailed(replay, "NONCE_REUSED", AUTH_MESSAGES.NONCE_REUSED);
      // And the other way round, with a request B served first.
      const other = createRequest();
      assertSuccess(await send(b.url, "/subjectRecord.create", other));
      assertAuthFailed(
        await send(a.url, "/subjectRecord.create", other),
        "NONCE_REUSED",
        AUTH_MESSAGES.NONCE_REUSED,
      );
      assert.equal(await subjectRecordCount(), countBefore + 1);
    });

    it("the same request sent to two processes at once is served exactly once", async () => {
      const countBefore = await subjectRecordCount();
      for (let round = 0; round < 5; round++) {
        const request = createRequest();
        const answers = await Promise.all([
          send(a.url, "/subjectRecord.create", request),
          send(b.url, "/subjectRecord.create", request),
        ]);
        assert.deepEqual(answers.map((r) => r.status).sort(), [200, 401], `round ${round}`);
        const refused = answers.find((r) => r.status === 401);
        assert.ok(refused);
        assertAuthFailed(refused, "NONCE_REUSED", AUTH_MESSAGES.NONCE_REUSED);
      }
      assert.equal(await subjectRecordCount(), countBefore + 5);
    });

    it("a credential revoked from outside fails at once in every running process", async () => {
      const side = await openSideOperator(database);
      try {
        const revocable = await side.operator.createCredential({
          organizationId: account.organization_id,
          environment: "sandbox",
        });
        const list = { account_id: account.id };
        for (const child of [a, b])
          assertSuccess(await sendSigned(child.url, revocable, "subjectRecord.list", list));
        await side.operator.revokeCredential(revocable.api_key);
        for (const child of [a, b]) {
          const response = await sendSigned(child.url, revocable, "subjectRecord.list", list);
          assertAuthFailed(response, "INVALID_CREDENTIALS", AUTH_MESSAGES.INVALID_CREDENTIALS);
        }
      } finally {
        await side.store.close();
      }
    });

    it("both processes stop cleanly on SIGTERM and logged no secret", async () => {
      assert.deepEqual(await Promise.all([a.stop(), b.stop()]), [0, 0]);
      for (const child of children) assert.ok(!secretsLeaked(child, credential), `process ${child.pid}`);
    });
  });
}
