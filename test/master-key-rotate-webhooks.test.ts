/**
 * `vetted admin master-key rotate` re-seals webhook shared secrets too (webhooks.md "Keys"): each
 * bound to "<account_id>/<key_id>", opened with the old key and sealed under the new one.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createSecretBox } from "../src/auth/secret-box.js";
import { cleanEnv, newMasterKey, runCli } from "./support/cli.js";
import { databaseKinds, tempDir } from "./support/databases.js";
import { sealedInstall } from "./support/master-keys.js";
import { executeSql, queryRows } from "./support/sql.js";

for (const kind of databaseKinds()) {
  describe(`vetted admin master-key rotate, webhook secrets [${kind}]`, () => {
    it("re-seals every webhook key's secret under the new key, still bound to its account and key", async () => {
      const keyA = newMasterKey();
      const keyB = newMasterKey();
      const install = await sealedInstall(kind, keyA);
      const dataDir = tempDir("vetted-rotate-webhooks-");
      try {
        fs.writeFileSync(path.join(dataDir, "master.key"), `${keyA}\n`, { mode: 0o600 });
        const newKeyFile = path.join(dataDir, "new.key");
        fs.writeFileSync(newKeyFile, `${keyB}\n`, { mode: 0o600 });
        const oldBox = createSecretBox(Buffer.from(keyA, "base64"));
        const secrets = new Map<string, Buffer>();
        const statements: [string, unknown[]][] = [];
        for (const keyId of ["whk_20261128_01", "whk_20261128_02"]) {
          const secret = Buffer.alloc(32, keyId.length + secrets.size);
          secrets.set(keyId, secret);
          const sealed = oldBox.seal(secret, `${install.accountId}/${keyId}`);
          statements.push([
            "insert into webhook_keys (account_id, key_id, secret_sealed, status, created_at) values ($1, $2, $3, $4, $5)",
            [install.accountId, keyId, sealed, "INACTIVE", "2026-11-28T05:00:00.000Z"],
          ]);
        }
        await executeSql(install.database, statements);

        const rotated = await runCli(
          [
            "admin",
            "master-key",
            "rotate",
            "--new-master-key-file",
            newKeyFile,
            "--json",
            "--database",
            install.database.url,
            "--data-dir",
            dataDir,
          ],
          cleanEnv(),
        );
        assert.equal(rotated.code, 0, rotated.stderr);
        const output = JSON.parse(rotated.stdout) as { resealed: number; key_id: string };
        assert.equal(output.resealed, 3, "one credential and two webhook secrets");

        const newBox = createSecretBox(Buffer.from(keyB, "base64"));
        const rows = await queryRows<{ key_id: string; secret_sealed: string }>(
          install.database,
          "select key_id, secret_sealed from webhook_keys order by key_id",
        );
        assert.equal(rows.length, 2);
        for (const row of rows) {
          assert.ok(row.secret_sealed.startsWith(`v2:${output.key_id}:`), row.secret_sealed);
          assert.deepEqual(
            newBox.open(row.secret_sealed, `${install.accountId}/${row.key_id}`),
            secrets.get(row.key_id),
          );
        }
      } finally {
        await install.database.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
