/**
 * `vetted admin` against the database whose secrets the master key sealed (issue 11, items 9 and
 * 12): another key, or no key file at all, is refused at start with one line, and no key is made.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { assertOneLineFailure, cleanEnv, newMasterKey, runCli } from "./support/cli.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import { MISMATCH, sealedValues, useSealedInstall } from "./support/master-keys.js";

for (const kind of databaseKinds()) {
  describe(`vetted admin and the master key [${kind}]`, () => {
    const keyA = newMasterKey();
    const keyB = newMasterKey();
    const sealed = useSealedInstall(kind, keyA);
    const credentialCreate = (dataDir: string) => [
      ...["admin", "credential", "create", "--org", sealed.install().organizationId, "--env", "sandbox"],
      ...["--database", sealed.install().database.url, "--data-dir", dataDir],
    ];

    it("an admin command with another key refuses and seals nothing", async () => {
      const before = await sealedValues(sealed.install().database);
      const result = await runCli(credentialCreate(sealed.dataDir()), cleanEnv({ VETTED_MASTER_KEY: keyB }));
      assertOneLineFailure(result, 2, MISMATCH);
      assert.deepEqual(await sealedValues(sealed.install().database), before, "no credential was added");
    });

    it("an admin command without the key file, while sealed rows exist, refuses and creates no key", async () => {
      const emptyDataDir = tempDir("vetted-keys-nokey-");
      try {
        const before = await sealedValues(sealed.install().database);
        const result = await runCli(credentialCreate(emptyDataDir), cleanEnv());
        assertOneLineFailure(result, 2, /master\.key.* is missing/);
        assert.equal(fs.existsSync(path.join(emptyDataDir, "master.key")), false, "no key was generated");
        assert.deepEqual(await sealedValues(sealed.install().database), before);
      } finally {
        fs.rmSync(emptyDataDir, { recursive: true, force: true });
      }
    });
  });
}
