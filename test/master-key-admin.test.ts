/**
 * `vetted admin` against the database whose secrets the master key sealed (issue 11, items 9 and
 * 12): another key, or no key file at all, is refused at start with one line, and no key is made.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { assertOneLineFailure, cleanEnv, newMasterKey, runCli } from "./support/cli.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import { MISMATCH, sealedInstall, sealedValues } from "./support/master-keys.js";

for (const kind of databaseKinds()) {
  describe(`vetted admin and the master key [${kind}]`, () => {
    const keyA = newMasterKey();
    const keyB = newMasterKey();
    let install: Awaited<ReturnType<typeof sealedInstall>>;
    let dataDir: string;

    before(async () => {
      install = await sealedInstall(kind, keyA);
      dataDir = tempDir("vetted-keys-");
    });
    after(async () => {
      await install.database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("an admin command with another key refuses and seals nothing", async () => {
      const before = await sealedValues(install.database);
      const result = await runCli(
        [
          "admin",
          "credential",
          "create",
          "--org",
          install.organizationId,
          "--env",
          "sandbox",
          "--database",
          install.database.url,
          "--data-dir",
          dataDir,
        ],
        cleanEnv({ VETTED_MASTER_KEY: keyB }),
      );
      assertOneLineFailure(result, 2, MISMATCH);
      assert.deepEqual(await sealedValues(install.database), before, "no credential was added");
    });

    it("an admin command without the key file, while sealed rows exist, refuses and creates no key", async () => {
      const emptyDataDir = tempDir("vetted-keys-nokey-");
      try {
        const before = await sealedValues(install.database);
        const result = await runCli(
          [
            "admin",
            "credential",
            "create",
            "--org",
            install.organizationId,
            "--env",
            "sandbox",
            "--database",
            install.database.url,
            "--data-dir",
            emptyDataDir,
          ],
          cleanEnv(),
        );
        assertOneLineFailure(result, 2, /master\.key.* is missing/);
        assert.equal(fs.existsSync(path.join(emptyDataDir, "master.key")), false, "no key was generated");
        assert.deepEqual(await sealedValues(install.database), before);
      } finally {
        fs.rmSync(emptyDataDir, { recursive: true, force: true });
      }
    });
  });
}
