/**
 * The master key against the database whose secrets it sealed (issue 11, items 9 and 12): a
 * server or admin command holding another key, or no key file at all, refuses at start with one
 * line.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IssuedCredential } from "../src/admin/operator.js";
import { assertOneLineFailure, cleanEnv, newMasterKey, startCli } from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";
import {
  keyCheckRows,
  MISMATCH,
  serveArgs,
  signedCallWorks,
  useSealedInstall,
} from "./support/master-keys.js";
import { attemptServe, refused } from "./support/serve-attempt.js";

for (const kind of databaseKinds()) {
  describe(`master key and database [${kind}]`, () => {
    const keyA = newMasterKey();
    const keyB = newMasterKey();
    const sealed = useSealedInstall(kind, keyA);

    it("an install with sealed rows and no key check: a server with another key refuses at start", async () => {
      const attempt = await attemptServe(
        serveArgs(sealed.install().database, sealed.dataDir()),
        cleanEnv({ VETTED_MASTER_KEY: keyB }),
      );
      assertOneLineFailure(refused(attempt), 2, MISMATCH);
      assert.doesNotMatch(attempt.stderr, /\bat /, "no stack trace");
    });

    it("the right key starts the server and records a key check; another key is then refused", async () => {
      const server = await startCli(
        serveArgs(sealed.install().database, sealed.dataDir()),
        cleanEnv({ VETTED_MASTER_KEY: keyA }),
      );
      try {
        await signedCallWorks(
          server.url,
          sealed.install().issued[0] as IssuedCredential,
          sealed.install().accountId,
        );
      } finally {
        await server.stop();
      }
      assert.equal((await keyCheckRows(sealed.install().database)).length, 1, "a key check was written");
      const attempt = await attemptServe(
        serveArgs(sealed.install().database, sealed.dataDir()),
        cleanEnv({ VETTED_MASTER_KEY: keyB }),
      );
      assertOneLineFailure(refused(attempt), 2, MISMATCH);
    });
  });
}
