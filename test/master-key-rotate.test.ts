/**
 * `vetted admin master-key rotate` (issue 11, item 12): every secret re-sealed under the new key
 * in one transaction, the key file replaced, the old key refused afterwards.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { IssuedCredential } from "../src/admin/operator.js";
import { assertOneLineFailure, cleanEnv, newMasterKey, runCli, startCli } from "./support/cli.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import {
  keyCheckRows,
  MISMATCH,
  sealedInstall,
  sealedValues,
  serveArgs,
  signedCallWorks,
} from "./support/master-keys.js";

for (const kind of databaseKinds()) {
  describe(`vetted admin master-key rotate [${kind}]`, () => {
    it("re-seals every secret and the key check under the new key; the key file is replaced", async () => {
      const keyA = newMasterKey();
      const keyB = newMasterKey();
      const install = await sealedInstall(kind, keyA, 2);
      const dataDir = tempDir("vetted-rotate-");
      const keyFile = path.join(dataDir, "master.key");
      const newKeyFile = path.join(dataDir, "new.key");
      fs.writeFileSync(keyFile, `${keyA}\n`, { mode: 0o600 });
      fs.writeFileSync(newKeyFile, `${keyB}\n`, { mode: 0o600 });
      const flags = ["--database", install.database.url, "--data-dir", dataDir];
      // During the switch a server holds the new key and the old one as the previous key.
      const switching = await startCli(
        serveArgs(install.database, dataDir),
        cleanEnv({ VETTED_MASTER_KEY: keyB, VETTED_PREVIOUS_MASTER_KEY: keyA }),
      );
      try {
        await signedCallWorks(switching.url, install.issued[0] as IssuedCredential, install.accountId);
        const before = await sealedValues(install.database);

        const rotated = await runCli(
          ["admin", "master-key", "rotate", "--new-master-key-file", newKeyFile, "--json", ...flags],
          cleanEnv(),
        );
        assert.equal(rotated.code, 0, rotated.stderr);
        const output = JSON.parse(rotated.stdout) as Record<string, unknown>;
        assert.equal(output.resealed, 2);
        assert.equal(output.master_key_file, keyFile);
        assert.match(String(output.key_id), /^[0-9a-f]{16}$/);

        const after = await sealedValues(install.database);
        for (const [apiKey, sealed] of Object.entries(after)) {
          assert.notEqual(sealed, before[apiKey], "every secret was re-sealed");
          assert.ok(sealed.startsWith(`v2:${output.key_id}:`), sealed);
        }
        const checks = await keyCheckRows(install.database);
        assert.equal(checks.length, 1);
        assert.ok(checks[0]?.startsWith(`v2:${output.key_id}:`), "the key check is under the new key");
        assert.equal(fs.readFileSync(keyFile, "utf8").trim(), keyB, "the key file holds the new key");
        assert.equal(fs.readFileSync(`${keyFile}.previous`, "utf8").trim(), keyA, "the old key is kept");
        assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
        assert.equal(fs.statSync(`${keyFile}.previous`).mode & 0o777, 0o600);

        // The server that held the new key keeps serving without a restart.
        await signedCallWorks(switching.url, install.issued[1] as IssuedCredential, install.accountId);
      } finally {
        await switching.stop();
      }
      try {
        const old = await runCli(
          ["admin", "credential", "list", ...flags],
          cleanEnv({ VETTED_MASTER_KEY: keyA }),
        );
        assertOneLineFailure(old, 2, MISMATCH);

        // The key file now holds the key the database is sealed under.
        const current = await runCli(["admin", "credential", "list", ...flags], cleanEnv());
        assert.equal(current.code, 0, current.stderr);
      } finally {
        await install.database.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
