/**
 * The failure contract of every `vetted admin` command (operator.md, "Admin commands"): exit 2 for
 * a usage error (unknown command or option, missing or malformed flag value, an empty or too long
 * name, an empty list or list item), exit 1 for anything else (unknown organization, account or API
 * key, a duplicate, the database unreachable); one line on stderr, nothing on stdout, and with
 * --json that line is one JSON object `{"error":{"code","message"}}`.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  assertJsonFailure,
  assertOneLineFailure,
  type CliResult,
  cleanEnv,
  newMasterKey,
  runCli,
  useCliDatabase,
} from "./support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase, tempDir } from "./support/databases.js";

interface UsageCase {
  name: string;
  args: string[];
  mentions: RegExp;
}

const LONG_NAME = "n".repeat(101);
// Secrets for `credential import` come from the environment here, so that only the flag under
// test can be wrong.
const IMPORT_ENV = {
  VETTED_IMPORT_SECRET_KEY: Buffer.alloc(33, 5).toString("base64"),
  VETTED_IMPORT_AUTH_TOKEN: "U".repeat(58),
};
const credentialCreate = (...rest: string[]) => [
  ...["credential", "create", "--org", "org_x", "--env", "sandbox"],
  ...rest,
];
const credentialImport = (...rest: string[]) => [
  ...["credential", "import", "--org", "org_x", "--env", "sandbox", "--api-key", "sb_Usage0123456789"],
  ...rest,
];
const NAME_RULE = /--name must be 1–100 characters with at least one non-space/;

/** Each is refused before the database is opened, whatever the database. */
const USAGE_CASES: UsageCase[] = [
  { name: "an unknown command", args: ["bogus"], mentions: /unknown command 'bogus'/ },
  {
    name: "an unknown option",
    args: ["org", "create", "--name", "x", "--bogus"],
    mentions: /unknown option '--bogus'/,
  },
  {
    name: "a missing required option",
    args: ["pricing-model", "create", "--name", "x"],
    mentions: /required option '--account <account_id>' not specified/,
  },
  { name: "a flag without its value", args: ["org", "create", "--name"], mentions: /argument missing/ },
  {
    name: "a malformed --env",
    args: credentialCreate("--env", "prod"),
    mentions: /--env must be sandbox or live/,
  },
  { name: 'org create --name ""', args: ["org", "create", "--name", ""], mentions: NAME_RULE },
  { name: "org create --name of spaces", args: ["org", "create", "--name", "   "], mentions: NAME_RULE },
  {
    name: "org create --name of 101 characters",
    args: ["org", "create", "--name", LONG_NAME],
    mentions: NAME_RULE,
  },
  {
    name: 'account create --name ""',
    args: ["account", "create", "--org", "org_x", "--env", "sandbox", "--name", ""],
    mentions: NAME_RULE,
  },
  {
    name: "account update --name of spaces",
    args: ["account", "update", "--account", "sb_x", "--name", " \t "],
    mentions: NAME_RULE,
  },
  {
    name: "credential create --name of 101 characters",
    args: credentialCreate("--name", LONG_NAME),
    mentions: NAME_RULE,
  },
  { name: 'credential import --name ""', args: credentialImport("--name", ""), mentions: NAME_RULE },
  {
    name: 'pricing-model create --name ""',
    args: ["pricing-model", "create", "--account", "sb_x", "--name", ""],
    mentions: NAME_RULE,
  },
  {
    name: "equipment-collection create --name of spaces",
    args: ["equipment-collection", "create", "--account", "sb_x", "--name", "  "],
    mentions: NAME_RULE,
  },
  {
    name: 'credential create --accounts ""',
    args: credentialCreate("--accounts", ""),
    mentions: /--accounts must not be empty: leave it out for every account of the organization/,
  },
  {
    name: 'credential create --accounts "sb_x,"',
    args: credentialCreate("--accounts", "sb_x,"),
    mentions: /--accounts has an empty item in "sb_x,"/,
  },
  {
    name: 'credential create --accounts "sb_a,,sb_b"',
    args: credentialCreate("--accounts", "sb_a,,sb_b"),
    mentions: /--accounts has an empty item in "sb_a,,sb_b"/,
  },
  {
    name: 'credential create --accounts " "',
    args: credentialCreate("--accounts", " "),
    mentions: /--accounts has an empty item/,
  },
  {
    name: 'credential import --accounts ""',
    args: credentialImport("--accounts", ""),
    mentions: /--accounts must not be empty/,
  },
];

describe("vetted admin usage errors", () => {
  let database: TestDatabase;
  let dataDir: string;
  const results = new Map<string, CliResult>();
  const run = (args: string[]) =>
    runCli(
      ["admin", ...args, "--database", database.url, "--data-dir", dataDir],
      cleanEnv({ VETTED_MASTER_KEY: newMasterKey(), ...IMPORT_ENV }),
    );

  before(async () => {
    database = await createTestDatabase("sqlite");
    dataDir = tempDir("vetted-cli-usage-");
    // Independent cases, each a whole process start-up: a few at once.
    const queue = [...USAGE_CASES];
    const worker = async () => {
      for (let bad = queue.shift(); bad; bad = queue.shift()) {
        results.set(bad.name, await run([...bad.args, "--json"]));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  });
  after(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (const bad of USAGE_CASES) {
    it(`${bad.name}: exit 2, a JSON "usage" error on stderr`, () => {
      const result = results.get(bad.name);
      assert.ok(result, "the case ran");
      assertJsonFailure(result, 2, "usage", bad.mentions);
    });
  }

  it("a refused command opened no database and wrote nothing", () => {
    assert.equal(database.target.kind, "sqlite");
    assert.equal(fs.existsSync(database.target.kind === "sqlite" ? database.target.path : ""), false);
    assert.deepEqual(fs.readdirSync(dataDir), []);
  });

  it("without --json a usage error is one plain line", async () => {
    const [emptyName, noSubcommand] = await Promise.all([run(["org", "create", "--name", ""]), run(["org"])]);
    assertOneLineFailure(
      emptyName,
      2,
      /^vetted: --name must be 1–100 characters with at least one non-space/,
    );
    // Commander would print the whole help on stderr; the contract is one line.
    assertOneLineFailure(noSubcommand, 2, /^vetted: missing command: see 'vetted admin org --help'$/);
  });
});

for (const kind of databaseKinds()) {
  describe(`vetted admin operation errors [${kind}]`, { concurrency: 3 }, () => {
    const cli = useCliDatabase(kind);
    const run = (...args: string[]) =>
      runCli(
        ["admin", ...args, "--json", "--database", cli().database.url, "--data-dir", cli().dataDir],
        cli().env,
      );
    const newOrg = async () => (await cli().operator.createOrganization("Acme")).id;

    it("names of 1 and 100 characters (code points) are kept exactly as given", async () => {
      const { admin, store } = cli();
      const names = ["x", "n".repeat(100), "😀".repeat(100), " padded "];
      const created = await Promise.all(
        names.map((name) => admin<{ organization_id: string }>("org", "create", "--name", name)),
      );
      for (const [index, name] of names.entries()) {
        assert.equal((await store.getOrganization(String(created[index]?.organization_id)))?.name, name);
      }
    });

    it("an unknown organization, account or API key: exit 1, not_found", async () => {
      const org = await newOrg();
      const results = await Promise.all([
        run("account", "create", "--org", "org_doesNotExist", "--env", "sandbox"),
        run("account", "update", "--account", "sb_nope", "--name", "x"),
        run("account", "list", "--org", "org_doesNotExist"),
        run("credential", "create", "--org", "org_doesNotExist", "--env", "sandbox"),
        run("credential", "create", "--org", org, "--env", "sandbox", "--accounts", "sb_nope"),
        run("credential", "list", "--org", "org_doesNotExist"),
        run("credential", "revoke", "--api-key", "sb_nope"),
        run("pricing-model", "create", "--account", "sb_nope", "--name", "x"),
        run("equipment-collection", "create", "--account", "sb_nope", "--name", "x"),
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
  });
}
