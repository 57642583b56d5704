/**
 * Usage errors of the `vetted admin` commands (operator.md, "Admin commands"): an unknown command
 * or option, a missing or malformed flag value, an empty, blank or too long name, an empty list or
 * list item. Each exits 2 before opening the database, with one line on stderr and nothing on
 * stdout; with --json that line is one JSON object `{"error":{"code":"usage","message"}}`.
 * Operation errors (exit 1) are in cli-admin-operation-errors.test.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  assertJsonFailure,
  assertOneLineFailure,
  type CliResult,
  cleanEnv,
  newMasterKey,
  runCli,
} from "./support/cli.js";
import { createTestDatabase, type TestDatabase, tempDir } from "./support/databases.js";

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
  const env = () => cleanEnv({ VETTED_MASTER_KEY: newMasterKey(), ...IMPORT_ENV });
  /** The shared flags go right after the command words, so that a case's own flags end the line. */
  const run = (args: string[], ...shared: string[]) => {
    const words = args.findIndex((arg) => arg.startsWith("-"));
    const [command, rest] = words === -1 ? [args, []] : [args.slice(0, words), args.slice(words)];
    return runCli(
      ["admin", ...command, ...shared, "--database", database.url, "--data-dir", dataDir, ...rest],
      env(),
    );
  };

  before(async () => {
    database = await createTestDatabase("sqlite");
    dataDir = tempDir("vetted-cli-usage-");
    // Independent cases, each a whole process start-up: a few at once.
    const queue = [...USAGE_CASES];
    const worker = async () => {
      for (let bad = queue.shift(); bad; bad = queue.shift()) {
        results.set(bad.name, await run(bad.args, "--json"));
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
    const [emptyName, noSubcommand] = await Promise.all([
      run(["org", "create", "--name", ""]),
      runCli(["admin", "org"], env()),
    ]);
    assertOneLineFailure(
      emptyName,
      2,
      /^vetted: --name must be 1–100 characters with at least one non-space/,
    );
    // Commander would print the whole help on stderr; the contract is one line.
    assertOneLineFailure(noSubcommand, 2, /^vetted: missing command: see 'vetted admin org --help'\n$/);
  });
});
