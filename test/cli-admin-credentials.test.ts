/**
 * `vetted admin credential …` run as a real process against a real database: issued secrets are
 * well formed and stored only sealed or hashed, imports and revocations land, and listings never
 * carry a secret.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createSecretBox, hashToken } from "../src/auth/secret-box.js";
import {
  assertJsonFailure,
  ISO_TIME,
  type IssuedJson,
  runCli,
  runJson,
  useCliDatabase,
} from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";

for (const kind of databaseKinds()) {
  // The tests share nothing but the database, and each waits mostly on CLI start-up: run a few at once.
  describe(`vetted admin credential [${kind}]`, { concurrency: 3 }, () => {
    const cli = useCliDatabase(kind);
    const admin = <T = Record<string, unknown>>(...args: string[]) => cli().admin<T>(...args);
    const newOrg = async () => (await cli().operator.createOrganization("Acme")).id;
    const newAccount = async (organizationId: string, environment: "sandbox" | "live") =>
      (await cli().operator.createAccount({ organizationId, environment })).id;
    const issue = (org: string, env: string, ...extra: string[]) =>
      admin<IssuedJson>("credential", "create", "--org", org, "--env", env, ...extra);
    /** The stored secret key as the server will read it, Base64. */
    const unseal = (sealed: string, apiKey: string) =>
      createSecretBox(Buffer.from(String(cli().env.VETTED_MASTER_KEY), "base64"))
        .open(sealed, apiKey)
        .toString("base64");

    it("create issues a strict credential with well-formed secrets, stored sealed and hashed", async () => {
      const org = await newOrg();
      const strict = await issue(org, "sandbox");
      assert.deepEqual(Object.keys(strict).sort(), [
        "api_key",
        "auth_token",
        "environment",
        "secret_key",
        "signature_policy",
      ]);
      assert.match(strict.api_key, /^sb_[0-9A-Za-z]{22}$/);
      assert.match(strict.secret_key, /^[A-Za-z0-9+/]{44}$/);
      const secretBytes = Buffer.from(strict.secret_key, "base64");
      assert.equal(secretBytes.length, 33);
      assert.equal(secretBytes.toString("base64"), strict.secret_key, "standard, canonical Base64");
      assert.match(strict.auth_token, /^[0-9A-Za-z]{58}$/);
      assert.equal(strict.signature_policy, "strict");
      assert.equal(strict.environment, "sandbox");

      const stored = await cli().store.getCredential(strict.api_key);
      assert.ok(stored);
      assert.equal(stored.organization_id, org);
      assert.equal(stored.account_ids, null, "no --accounts: every account of the organization");
      assert.equal(stored.read_only, false);
      assert.equal(stored.name, null);
      assert.equal(stored.revoked_at, null);
      assert.match(stored.created_at, ISO_TIME);
      assert.equal(stored.auth_token_hash, hashToken(strict.auth_token));
      assert.ok(!stored.secret_key_sealed.includes(strict.secret_key), "the secret key is sealed");
    });

    it("create honours --env live, compat, --accounts, --read-only and --name", async () => {
      const org = await newOrg();
      const [one, two] = await Promise.all([newAccount(org, "live"), newAccount(org, "live")]);
      const compat = await issue(
        ...[org, "live", "--signature-policy", "compat", "--accounts", `${one},${two}`],
        ...["--read-only", "--name", "reporting"],
      );
      assert.match(compat.api_key, /^lv_[0-9A-Za-z]{22}$/);
      assert.equal(compat.signature_policy, "compat");
      assert.equal(compat.environment, "live");
      assert.equal(Buffer.from(compat.secret_key, "base64").length, 33);
      assert.match(compat.auth_token, /^[0-9A-Za-z]{58}$/);
      const stored = await cli().store.getCredential(compat.api_key);
      assert.deepEqual(stored?.account_ids, [one, two]);
      assert.equal(stored?.read_only, true);
      assert.equal(stored?.name, "reporting");
      assert.equal(stored?.environment, "live");
      assert.equal(stored?.signature_policy, "compat");
    });

    it("create refuses accounts of another environment (exit 1, nothing stored)", async () => {
      const org = await newOrg();
      const live = await newAccount(org, "live");
      const { database, env } = cli();
      const args = ["--org", org, "--env", "sandbox", "--accounts", live, "--json"];
      const result = await runCli(
        ["admin", "credential", "create", ...args, "--database", database.url],
        env,
      );
      assertJsonFailure(result, 1, "rejected", /is not a sandbox account of/);
      assert.deepEqual(await cli().store.listCredentials(org), []);
    });

    it("import reads the secrets from standard input, never from argv, and echoes none of them", async () => {
      const org = await newOrg();
      const secretKey = Buffer.alloc(33, 9).toString("base64");
      const authToken = "T".repeat(58);
      const { database, env, store } = cli();
      const args = [
        ...["admin", "credential", "import", "--org", org, "--env", "sandbox"],
        ...["--api-key", "sb_ImportedKey0123456789", "--secret-key-file", "-", "--auth-token-file", "-"],
        ...["--signature-policy", "compat", "--name", "legacy", "--database", database.url],
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
      });
      assert.ok(!stdout.includes(secretKey) && !stdout.includes(authToken));
      const stored = await store.getCredential("sb_ImportedKey0123456789");
      assert.ok(stored);
      assert.equal(stored.auth_token_hash, hashToken(authToken));
      assert.equal(unseal(stored.secret_key_sealed, stored.api_key), secretKey);
      assert.equal(stored.signature_policy, "compat");
      assert.equal(stored.name, "legacy");
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
            ...[
              "admin",
              "credential",
              "import",
              "--org",
              org,
              "--env",
              "sandbox",
              "--api-key",
              "sb_Refused0123",
            ],
            ...extra,
            ...["--json", "--database", database.url],
          ],
          env,
          { input },
        );
      const [onArgvKey, onArgvToken, missing, shortStdin, malformedKey, malformedToken, noFile] =
        await Promise.all([
          run(["--secret-key", secretKey, "--auth-token-file", "-"], `${authToken}\n`),
          run(["--secret-key-file", "-", "--auth-token", authToken], `${secretKey}\n`),
          run(["--secret-key-file", "-"], `${secretKey}\n`),
          run(["--secret-key-file", "-", "--auth-token-file", "-"], `${secretKey}\n`),
          run(["--secret-key-file", "-", "--auth-token-file", "-"], `not base64!\n${authToken}\n`),
          run(["--secret-key-file", "-", "--auth-token-file", "-"], `${secretKey}\nshort\n`),
          run(["--secret-key-file", "/nonexistent/secret", "--auth-token-file", "-"], `${authToken}\n`),
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

    it("revoke stamps revoked_at once; revoking again keeps the first time", async () => {
      const issued = await cli().operator.createCredential({
        organizationId: await newOrg(),
        environment: "sandbox",
      });
      const { database, env } = cli();
      const [revoked, unknown] = await Promise.all([
        admin<{ api_key: string; revoked_at: string }>("credential", "revoke", "--api-key", issued.api_key),
        runCli(
          ["admin", "credential", "revoke", "--api-key", "sb_nope", "--json", "--database", database.url],
          env,
        ),
      ]);
      assert.deepEqual(Object.keys(revoked).sort(), ["api_key", "revoked_at"]);
      assert.equal(revoked.api_key, issued.api_key);
      assert.match(revoked.revoked_at, ISO_TIME);
      assertJsonFailure(unknown, 1, "not_found", /API key sb_nope does not exist/);
      const again = await admin("credential", "revoke", "--api-key", issued.api_key);
      assert.deepEqual(again, revoked);
      assert.equal((await cli().store.getCredential(issued.api_key))?.revoked_at, revoked.revoked_at);
    });

    it("list shows keys, names, policies and status, and never a secret or its hash", async () => {
      const { operator } = cli();
      const [org, otherOrg] = await Promise.all([newOrg(), newOrg()]);
      const active = await operator.createCredential({
        organizationId: org,
        environment: "sandbox",
        name: "ci",
      });
      const gone = await operator.createCredential({ organizationId: org, environment: "sandbox" });
      await operator.revokeCredential(gone.api_key);
      const other = await operator.createCredential({ organizationId: otherOrg, environment: "live" });

      const { database, env, store } = cli();
      const [mine, all] = await Promise.all([
        runJson<{ credentials: Record<string, unknown>[] }>(
          ["admin", "credential", "list", "--org", org, "--database", database.url],
          env,
        ),
        runJson<{ credentials: { api_key: string }[] }>(
          ["admin", "credential", "list", "--database", database.url],
          env,
        ),
      ]);
      assert.deepEqual(
        mine.value.credentials.map((c) => [c.api_key, c.name, c.signature_policy, c.status]),
        [
          [active.api_key, "ci", "strict", "active"],
          [gone.api_key, null, "strict", "revoked"],
        ],
      );
      for (const credential of mine.value.credentials) {
        assert.deepEqual(Object.keys(credential).sort(), [
          "account_ids",
          "api_key",
          "created_at",
          "environment",
          "name",
          "organization_id",
          "read_only",
          "revoked_at",
          "signature_policy",
          "status",
        ]);
      }
      assert.ok(all.value.credentials.some((c) => c.api_key === other.api_key));

      for (const issued of [active, gone, other]) {
        const stored = await store.getCredential(issued.api_key);
        assert.ok(stored);
        const secrets = [
          issued.secret_key,
          issued.auth_token,
          stored.auth_token_hash,
          stored.secret_key_sealed,
        ];
        for (const text of [mine.stdout, all.stdout]) {
          for (const secret of secrets) assert.ok(!text.includes(secret), "a listing leaked a secret");
        }
      }
    });
  });
}
