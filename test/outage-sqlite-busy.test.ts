/**
 * SQLite write lock held elsewhere: another connection on the same file (an admin command, a
 * second process) holds `BEGIN IMMEDIATE`. Held for less than the busy timeout, a write request
 * waits for it (SQLite retries the lock) and succeeds. Held for longer, the write gets 503
 * SERVICE_UNAVAILABLE with Retry-After — not a 500 — and writes nothing; reads still work (WAL);
 * once the lock is released, writes succeed again. The server runs in this process with a busy
 * timeout shorter than the 5 s default, passed to `openSqliteStore`.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { VettedClient } from "@vetted/client";
import BetterSqlite3 from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { createOperator } from "../src/admin/operator.js";
import { createSecretBox } from "../src/auth/secret-box.js";
import { systemClock } from "../src/domain/clock.js";
import { buildApp } from "../src/http/app.js";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { tempDir } from "./support/databases.js";
import { createRecordingClient } from "./support/error-record.js";
import { TEST_CURSOR_KEY, TEST_MASTER_KEY } from "./support/server.js";
import { holdLockElsewhere } from "./support/sqlite-lock.js";
import { applicationBody, expectErrors, expectOk } from "./support/workflows.js";

const BUSY_TIMEOUT_MS = 2000;
/** Well inside the busy timeout, and long enough that the request surely meets the lock. */
const SHORT_HOLD_MS = 500;

const UNAVAILABLE = { code: "SERVICE_UNAVAILABLE" as const, message: "The database is unavailable" };

// Both write paths: on the serving thread (admin commands) and on the writer thread (`serve`).
for (const writerThread of [false, true]) {
  describe(`SQLite write lock held by another connection, writer thread ${writerThread ? "on" : "off"} [sqlite]`, () => {
    const dir = tempDir("vetted-busy-");
    const file = path.join(dir, "vetted.db");
    let store: Store;
    let app: FastifyInstance;
    /** Strict credential: every request also records its nonce, a write before the handler's. */
    let strict: VettedClient;
    /** Compat credential: no nonce, so the handler's own transaction is the first write. */
    let compat: VettedClient;
    let accountId: string;

    before(async () => {
      store = openSqliteStore({ path: file, busyTimeoutMs: BUSY_TIMEOUT_MS, writerThread });
      await store.migrate();
      const secretBox = createSecretBox(TEST_MASTER_KEY);
      const logger = pino({ level: "silent" });
      const config = { bodyLimit: 1_048_576, maxClockSkewSeconds: 300, metrics: false };
      app = await buildApp({
        config,
        store,
        logger,
        clock: systemClock,
        secretBox,
        cursorKey: TEST_CURSOR_KEY,
      });
      const url = await app.listen({ port: 0, host: "127.0.0.1" });
      const operator = createOperator({ store, secretBox, clock: systemClock });
      const organization = await operator.createOrganization("Busy test organization");
      const account = await operator.createAccount({
        organizationId: organization.id,
        environment: "sandbox",
      });
      accountId = account.id;
      const issue = (signaturePolicy: "strict" | "compat") =>
        operator.createCredential({
          organizationId: organization.id,
          environment: "sandbox",
          signaturePolicy,
        });
      const strictCredential = await issue("strict");
      const compatCredential = await issue("compat");
      const clientFor = (c: typeof strictCredential, signedElements?: ["API-Key"]) =>
        createRecordingClient({
          baseUrl: url,
          apiKey: c.api_key,
          secretKey: c.secret_key,
          authToken: c.auth_token,
          signedElements,
        });
      strict = clientFor(strictCredential);
      compat = clientFor(compatCredential, ["API-Key"]);
    });

    after(async () => {
      await app?.close();
      await store?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const create = (client: VettedClient, email: string) =>
      client.call("workflow.create", applicationBody(accountId, { email }));

    it("a write waits for a lock held for less than the busy timeout and succeeds", async () => {
      for (const [email, client] of [
        ["strict-waited@example.com", strict],
        ["compat-waited@example.com", compat],
      ] as const) {
        const locker = await holdLockElsewhere(file, SHORT_HOLD_MS);
        const exited = once(locker, "exit");
        try {
          expectOk(await create(client, email));
        } finally {
          await exited;
        }
      }
    });

    it("a write gets 503 with Retry-After while the lock is held past the busy timeout, and succeeds after", async () => {
      const existing = expectOk(await create(strict, "before@example.com")).workflow;
      const locker = new BetterSqlite3(file);
      try {
        locker.exec("begin immediate");
        const countBefore = (await store.listEvents({ accountId })).length;

        for (const [name, client] of [
          ["strict (nonce write)", strict],
          ["compat (transaction write)", compat],
        ] as const) {
          const refused = await create(client, `${name.split(" ")[0]}-locked@example.com`);
          expectErrors(refused, 503, [UNAVAILABLE]);
          assert.equal(refused.headers.get("retry-after"), "1", name);
        }
        // Readers are not blocked by a writer in WAL mode.
        const read = await compat.call("workflow.get", { workflow_id: existing.workflow_id });
        assert.equal(expectOk(read).workflow.workflow_id, existing.workflow_id);
        assert.equal(
          (await store.listEvents({ accountId })).length,
          countBefore,
          "the refused writes wrote nothing",
        );
      } finally {
        if (locker.inTransaction) locker.exec("rollback");
        locker.close();
      }

      for (const [email, client] of [
        ["strict-after@example.com", strict],
        ["compat-after@example.com", compat],
      ] as const) {
        const workflow = expectOk(await create(client, email)).workflow;
        assert.equal(
          expectOk(await strict.call("workflow.get", { workflow_id: workflow.workflow_id })).workflow
            .workflow_id,
          workflow.workflow_id,
        );
      }
    });
  });
}
