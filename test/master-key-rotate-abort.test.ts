/**
 * `vetted admin master-key rotate` is one transaction (issue 11, item 12): a secret that does not
 * open with the configured key aborts it, and nothing at all is re-sealed.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import { createSecretBox } from "../src/auth/secret-box.js";
import { assertOneLineFailure, cleanEnv, newMasterKey, runCli } from "./support/cli.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import { executeRaw, keyCheckRows, sealedInstall, sealedValues } from "./support/master-keys.js";

for (const kind of databaseKinds()) {
  describe(`vetted admin master-key rotate aborts as a whole [${kind}]`, () => {
    it("is one transaction: a secret that does not open aborts it and changes nothing", async () => {
      const keyA = newMasterKey();
      const install = await sealedInstall(kind, keyA, 3);
      const dataDir = tempDir("vetted-rotate-abort-");
      try {
        // Damage the last credential rotate reaches (they are re-sealed in api_key order), so the
        // others have already been re-sealed inside the transaction when it fails.
        const last = Object.keys(await sealedValues(install.database))
          .sort()
          .at(-1) as string;
        const foreign = createSecretBox(Buffer.alloc(32, 9)).seal(Buffer.alloc(33, 1), last);
        await executeRaw(
          install.database,
          "update credentials set secret_key_sealed = $1 where api_key = $2",
          [foreign, last],
        );
        const flags = ["--database", install.database.url, "--data-dir", dataDir];
        // An admin command with the right key records the key check (the first credential opens).
        const list = await runCli(
          ["admin", "credential", "list", ...flags],
          cleanEnv({ VETTED_MASTER_KEY: keyA }),
        );
        assert.equal(list.code, 0, list.stderr);
        const before = await sealedValues(install.database);
        const checksBefore = await keyCheckRows(install.database);
        assert.equal(checksBefore.length, 1);
        const env = cleanEnv({ VETTED_MASTER_KEY: keyA, VETTED_NEW_MASTER_KEY: newMasterKey() });
        const result = await runCli(["admin", "master-key", "rotate", ...flags], env);
        assertOneLineFailure(result, 1, new RegExp(`${last}.*nothing was changed`));
        assert.deepEqual(await sealedValues(install.database), before, "no secret was re-sealed");
        assert.deepEqual(await keyCheckRows(install.database), checksBefore, "the key check is unchanged");
        const again = await runCli(
          ["admin", "credential", "list", ...flags],
          cleanEnv({ VETTED_MASTER_KEY: keyA }),
        );
        assert.equal(again.code, 0, `the old key still opens the database: ${again.stderr}`);
      } finally {
        await install.database.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
