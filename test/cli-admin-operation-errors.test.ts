/**
 * Operation errors of the `vetted admin` commands (operator.md, "Admin commands"): an unknown
 * organization, account or API key, a duplicate, an account of another environment, the database
 * unreachable. Each exits 1 with one line on stderr and nothing on stdout; with --json, one JSON
 * object `{"error":{"code","message"}}`. Usage errors (exit 2) are in cli-admin-usage-errors.test.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import {
  assertJsonFailure,
  assertOneLineFailure,
  type CliResult,
  runCli,
  threeAtATime,
  useCliDatabase,
} from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";

const IMPORT_ENV = {
  VETTED_IMPORT_SECRET_KEY: Buffer.alloc(33, 5).toString("base64"),
  VETTED_IMPORT_AUTH_TOKEN: "U".repeat(58),
};

for (const kind of databaseKinds()) {
  // Each test waits mostly on CLI start-up: two at a time keeps the file within the runner's timeout.
  describe(`vetted admin operation errors [${kind}]`, { concurrency: 2 }, () => {
    const cli = useCliDatabase(kind);
    const run = (...args: string[]) =>
      runCli(
        ["admin", ...args, "--json", "--database", cli().database.url, "--data-dir", cli().dataDir],
        cli().env,
      );
    const newOrg = async () => (await cli().operator.createOrganization("Acme")).id;

    it("names of 100 characters (code points) or with one non-space are kept exactly as given", async () => {
      const { admin, store } = cli();
      // 100 emoji are 200 UTF-16 units; " x " has one non-space, and its spaces are kept.
      const names = ["😀".repeat(100), " x "];
      const created = await threeAtATime(
        names.map((name) => () => admin<{ organization_id: string }>("org", "create", "--name", name)),
      );
      for (const [index, name] of names.entries()) {
        assert.equal((await store.getOrganization(String(created[index]?.organization_id)))?.name, name);
      }
    });

    it("an unknown organization, account or API key: exit 1, not_found", async () => {
      const org = await newOrg();
      const results = await threeAtATime([
        () => run("account", "create", "--org", "org_doesNotExist", "--env", "sandbox"),
        () => run("account", "update", "--account", "sb_nope", "--name", "x"),
        () => run("account", "list", "--org", "org_doesNotExist"),
        () => run("credential", "create", "--org", "org_doesNotExist", "--env", "sandbox"),
        () => run("credential", "create", "--org", org, "--env", "sandbox", "--accounts", "sb_nope"),
        () => run("credential", "list", "--org", "org_doesNotExist"),
        () => run("credential", "revoke", "--api-key", "sb_nope"),
        () => run("pricing-model", "create", "--account", "sb_nope", "--name", "x"),
        () => run("equipment-collection", "create", "--account", "sb_nope", "--name", "x"),
      ]);
      const [orgs, accounts, orgList, credOrg, credAccount, credList, revoke, pm, ec] = results;
      for (const result of [orgs, orgList, credOrg, credList]) {
        assertJsonFailure(
          result as CliResult,
          1,
          "not_found",
          /^organization org_doesNotExist does not exist$/,
        );
      }
      for (const result of [accounts, credAccount, pm, ec]) {
        assertJsonFailure(result as CliResult, 1, "not_found", /^account sb_nope does not exist$/);
      }
      assertJsonFailure(revoke as CliResult, 1, "not_found", /^API key sb_nope does not exist$/);
      assert.deepEqual(await cli().store.listCredentials(org), []);
    });

    it("a duplicate API key, revoked or not: exit 1, conflict", async () => {
      const { operator, env } = cli();
      const org = await newOrg();
      const active = await operator.createCredential({ organizationId: org, environment: "sandbox" });
      const revoked = await operator.createCredential({ organizationId: org, environment: "sandbox" });
      await operator.revokeCredential(revoked.api_key);
      const importAgain = (apiKey: string) =>
        runCli(
          [
            ...["admin", "credential", "import", "--org", org, "--env", "sandbox", "--api-key", apiKey],
            ...["--json", "--database", cli().database.url],
          ],
          { ...env, ...IMPORT_ENV },
        );
      const [again, overRevoked] = await Promise.all([
        importAgain(active.api_key),
        importAgain(revoked.api_key),
      ]);
      assertJsonFailure(again, 1, "conflict", new RegExp(`^API key ${active.api_key} already exists$`));
      assertJsonFailure(
        overRevoked,
        1,
        "conflict",
        new RegExp(`^API key ${revoked.api_key} already exists$`),
      );
    });

    it("an account of another environment: exit 1, rejected", async () => {
      const org = await newOrg();
      const live = (await cli().operator.createAccount({ organizationId: org, environment: "live" })).id;
      const result = await run("credential", "create", "--org", org, "--env", "sandbox", "--accounts", live);
      assertJsonFailure(result, 1, "rejected", /is not a sandbox account of/);
      assert.deepEqual(await cli().store.listCredentials(org), []);
    });

    it("the database unreachable: exit 1, unavailable, as JSON or as one line", async () => {
      const file = path.join(cli().dataDir, "not-a-directory");
      fs.writeFileSync(file, "");
      const unreachable =
        kind === "sqlite" ? `sqlite:${file}/vetted.db` : "postgres://postgres@127.0.0.1:1/postgres";
      const args = ["admin", "org", "create", "--name", "x", "--database", unreachable];
      const [json, text] = await Promise.all([
        runCli([...args, "--json"], cli().env),
        runCli(args, cli().env),
      ]);
      assertJsonFailure(json, 1, "unavailable", /^the database is unavailable: /);
      assertOneLineFailure(text, 1, /^vetted: the database is unavailable: /);
    });

    if (kind === "sqlite") {
      // Node 20's recursive mkdir never returns for a path under /proc: the command spun a core
      // until killed instead of failing.
      it("a database path under /proc that cannot be made: exit 1, unavailable, no hang", async () => {
        const args = ["admin", "org", "create", "--name", "x", "--database", "sqlite:/proc/nope/vetted.db"];
        const result = await runCli([...args, "--json"], cli().env);
        assertJsonFailure(result, 1, "unavailable", /^the database is unavailable: .*ENOENT/);
      });
    }
  });
}
