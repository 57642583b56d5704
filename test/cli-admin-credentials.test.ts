/**
 * `vetted admin credential …` run as a real process against a real database: issued secrets are
 * well formed and stored only sealed or hashed, revocations land, and listings never carry a
 * secret. Imports are in cli-admin-import.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashToken } from "../src/auth/secret-box.js";
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

    it("create issues a strict credential with well-formed secrets, stored sealed and hashed", async () => {
      const org = await newOrg();
      const strict = await issue(org, "sandbox");
      assert.deepEqual(Object.keys(strict).sort(), [
        "api_key",
        "auth_token",
        "can_unmask",
        "environment",
        "secret_key",
        "signature_policy",
      ]);
      assert.equal(strict.can_unmask, true, "a normal credential may unmask");
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
      assert.equal(stored.can_unmask, true);
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
      assert.equal(compat.can_unmask, false, "a read-only credential never unmasks");
      assert.equal(Buffer.from(compat.secret_key, "base64").length, 33);
      assert.match(compat.auth_token, /^[0-9A-Za-z]{58}$/);
      const stored = await cli().store.getCredential(compat.api_key);
      assert.deepEqual(stored?.account_ids, [one, two]);
      assert.equal(stored?.read_only, true);
      assert.equal(stored?.can_unmask, false);
      assert.equal(stored?.name, "reporting");
      assert.equal(stored?.environment, "live");
      assert.equal(stored?.signature_policy, "compat");
    });

    it("create --no-unmask issues a normal credential that may not unmask", async () => {
      const org = await newOrg();
      const [masked, both] = await Promise.all([
        issue(org, "sandbox", "--no-unmask"),
        issue(org, "sandbox", "--no-unmask", "--read-only"),
      ]);
      assert.equal(masked.can_unmask, false);
      assert.equal(both.can_unmask, false);
      const stored = await cli().store.getCredential(masked.api_key);
      assert.equal(stored?.read_only, false, "it still writes");
      assert.equal(stored?.can_unmask, false);
      assert.equal((await cli().store.getCredential(both.api_key))?.can_unmask, false);
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
      const gone = await operator.createCredential({
        organizationId: org,
        environment: "sandbox",
        canUnmask: false,
      });
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
        mine.value.credentials.map((c) => [c.api_key, c.name, c.signature_policy, c.can_unmask, c.status]),
        [
          [active.api_key, "ci", "strict", true, "active"],
          [gone.api_key, null, "strict", false, "revoked"],
        ],
      );
      for (const credential of mine.value.credentials) {
        assert.deepEqual(Object.keys(credential).sort(), [
          "account_ids",
          "api_key",
          "can_unmask",
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
