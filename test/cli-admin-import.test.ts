/**
 * `vetted admin credential import` run as a real process against a real database: the secret key
 * and auth token come from standard input, files or VETTED_IMPORT_* (never argv, which every local
 * user can read in the process list), are stored sealed and hashed, and are never echoed.
 * cli-serve.test.ts signs requests with a credential imported through standard input.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createSecretBox, hashToken } from "../src/auth/secret-box.js";
import { assertJsonFailure, runCli, runJson, threeAtATime, useCliDatabase } from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";

for (const kind of databaseKinds()) {
  // The tests share nothing but the database, and each waits mostly on CLI start-up: run a few at once.
  describe(`vetted admin credential import [${kind}]`, { concurrency: 2 }, () => {
    const cli = useCliDatabase(kind);
    const newOrg = async () => (await cli().operator.createOrganization("Acme")).id;
    /** The stored secret key as the server will read it, Base64. */
    const unseal = (sealed: string, apiKey: string) =>
      createSecretBox(Buffer.from(String(cli().env.VETTED_MASTER_KEY), "base64"))
        .open(sealed, apiKey)
        .toString("base64");

    it("import reads the secrets from standard input, never from argv, and echoes none of them", async () => {
      const org = await newOrg();
      const secretKey = Buffer.alloc(33, 9).toString("base64");
      const authToken = "T".repeat(58);
      const { database, env, store } = cli();
      const args = [
        ...["admin", "credential", "import", "--org", org, "--env", "sandbox"],
        ...["--api-key", "sb_ImportedKey0123456789", "--secret-key-file", "-", "--auth-token-file", "-"],
        ...["--signature-policy", "compat", "--name", "legacy", "--no-unmask", "--database", database.url],
      ];
      let cmdline = "";
      const { value, stdout } = await runJson(args, env, {
        input: `${secretKey}\n${authToken}\n`,
        // What any local user sees in the process list, read before the secrets are written.
        onSpawn: (child) => {
          cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, "utf8");
        },
      });
      assert.match(cmdline, /credential\0import\0/, "the process list was read");
      assert.ok(!cmdline.includes(secretKey) && !cmdline.includes(authToken), "a secret is in argv");
      assert.deepEqual(value, {
        api_key: "sb_ImportedKey0123456789",
        signature_policy: "compat",
        environment: "sandbox",
        can_unmask: false,
      });
      assert.ok(!stdout.includes(secretKey) && !stdout.includes(authToken));
      const stored = await store.getCredential("sb_ImportedKey0123456789");
      assert.ok(stored);
      assert.equal(stored.auth_token_hash, hashToken(authToken));
      assert.equal(unseal(stored.secret_key_sealed, stored.api_key), secretKey);
      assert.equal(stored.signature_policy, "compat");
      assert.equal(stored.name, "legacy");
      assert.equal(stored.can_unmask, false, "--no-unmask");
    });

    it("import reads the secrets from files or from VETTED_IMPORT_SECRET_KEY / VETTED_IMPORT_AUTH_TOKEN", async () => {
      const org = await newOrg();
      const { database, dataDir, env, store } = cli();
      const secretKey = Buffer.alloc(32, 4).toString("base64");
      const authToken = "F".repeat(40);
      const secretFile = path.join(dataDir, "import-secret-key");
      const tokenFile = path.join(dataDir, "import-auth-token");
      fs.writeFileSync(secretFile, `${secretKey}\n`, { mode: 0o600 });
      fs.writeFileSync(tokenFile, authToken, { mode: 0o600 });
      const importAs = (
        apiKey: string,
        extra: string[],
        extraEnv: Record<string, string> = {},
        input?: string,
      ) =>
        runJson(
          [
            ...["admin", "credential", "import", "--org", org, "--env", "sandbox", "--api-key", apiKey],
            ...extra,
            ...["--database", database.url],
          ],
          { ...env, ...extraEnv },
          { input },
        );
      await Promise.all([
        importAs("sb_FromFiles0123456789", ["--secret-key-file", secretFile, "--auth-token-file", tokenFile]),
        importAs("sb_FromEnv0123456789", [], {
          VETTED_IMPORT_SECRET_KEY: secretKey,
          VETTED_IMPORT_AUTH_TOKEN: authToken,
        }),
        // One from standard input, the other from the environment.
        importAs(
          "sb_Mixed0123456789",
          ["--secret-key-file", "-"],
          { VETTED_IMPORT_AUTH_TOKEN: authToken },
          `${secretKey}\n`,
        ),
      ]);
      for (const apiKey of ["sb_FromFiles0123456789", "sb_FromEnv0123456789", "sb_Mixed0123456789"]) {
        const stored = await store.getCredential(apiKey);
        assert.ok(stored, apiKey);
        assert.equal(stored.auth_token_hash, hashToken(authToken), apiKey);
        assert.equal(unseal(stored.secret_key_sealed, apiKey), secretKey, apiKey);
      }
    });

    it("import refuses secrets on the command line, missing or malformed secrets: exit 2, nothing stored", async () => {
      const org = await newOrg();
      const secretKey = Buffer.alloc(33, 8).toString("base64");
      const authToken = "S".repeat(58);
      const { database, env, store } = cli();
      const run = (extra: string[], input?: string) =>
        runCli(
          [
            ...["admin", "credential", "import", "--org", org, "--env", "sandbox"],
            ...["--api-key", "sb_Refused0123"],
            ...extra,
            ...["--json", "--database", database.url],
          ],
          env,
          { input },
        );
      const [onArgvKey, onArgvToken, missing, shortStdin, malformedKey, malformedToken, noFile] =
        await threeAtATime([
          () => run(["--secret-key", secretKey, "--auth-token-file", "-"], `${authToken}\n`),
          () => run(["--secret-key-file", "-", "--auth-token", authToken], `${secretKey}\n`),
          () => run(["--secret-key-file", "-"], `${secretKey}\n`),
          () => run(["--secret-key-file", "-", "--auth-token-file", "-"], `${secretKey}\n`),
          () => run(["--secret-key-file", "-", "--auth-token-file", "-"], `not base64!\n${authToken}\n`),
          () => run(["--secret-key-file", "-", "--auth-token-file", "-"], `${secretKey}\nshort\n`),
          () => run(["--secret-key-file", "/nonexistent/secret", "--auth-token-file", "-"], `${authToken}\n`),
        ]);
      assertJsonFailure(onArgvKey, 2, "usage", /--secret-key is not accepted.*--secret-key-file/);
      assertJsonFailure(onArgvToken, 2, "usage", /--auth-token is not accepted.*--auth-token-file/);
      for (const result of [onArgvKey, onArgvToken]) {
        assert.ok(
          !result.stderr.includes(secretKey) && !result.stderr.includes(authToken),
          "echoed a secret",
        );
      }
      assertJsonFailure(missing, 2, "usage", /auth token.*--auth-token-file.*VETTED_IMPORT_AUTH_TOKEN/);
      assertJsonFailure(shortStdin, 2, "usage", /standard input/);
      assertJsonFailure(malformedKey, 2, "usage", /secret key must be standard Base64/);
      assertJsonFailure(malformedToken, 2, "usage", /auth token must be 16–256 printable/);
      assertJsonFailure(noFile, 2, "usage", /--secret-key-file: cannot read \/nonexistent\/secret/);
      assert.deepEqual(await store.listCredentials(org), []);
    });

    it("--help says how to pass the secrets", async () => {
      const result = await runCli(["admin", "credential", "import", "--help"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /--secret-key-file <path>/);
      assert.match(result.stdout, /--auth-token-file <path>/);
      assert.match(result.stdout, /VETTED_IMPORT_SECRET_KEY/);
      assert.match(result.stdout, /VETTED_IMPORT_AUTH_TOKEN/);
      assert.match(result.stdout, /standard input/);
      assert.doesNotMatch(result.stdout, /--secret-key </);
    });
  });
}
