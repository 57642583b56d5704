/**
 * Start-up validation: every bad setting stops the process with status 2 and one line on stderr
 * that names the setting (the flag or the environment variable the operator used), before
 * anything is written.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import {
  assertOneLineFailure,
  type CliResult,
  cleanEnv,
  newMasterKey,
  runCli,
  runJson,
} from "./support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase, tempDir } from "./support/databases.js";

interface BadCase {
  name: string;
  args: (db: TestDatabase) => string[];
  env?: Record<string, string>;
  mentions: RegExp;
}

const serve = (db: TestDatabase, ...rest: string[]) => ["serve", "--database", db.url, ...rest];

const CASES: BadCase[] = [
  { name: "--port abc", args: (db) => serve(db, "--port", "abc"), mentions: /--port: .*"abc"/ },
  { name: "--port 70000", args: (db) => serve(db, "--port", "70000"), mentions: /--port: .*65535/ },
  {
    name: "VETTED_PORT=x",
    args: (db) => serve(db),
    env: { VETTED_PORT: "x" },
    mentions: /VETTED_PORT: .*"x"/,
  },
  {
    name: "--database mysql://x",
    args: () => ["serve", "--database", "mysql://x"],
    mentions: /--database: expected sqlite:<path>/,
  },
  {
    name: "VETTED_DATABASE_URL=mysql://x",
    args: () => ["migrate"],
    env: { VETTED_DATABASE_URL: "mysql://x" },
    mentions: /VETTED_DATABASE_URL: expected sqlite:<path>/,
  },
  {
    name: "--log-level loud",
    args: (db) => serve(db, "--log-level", "loud"),
    mentions: /--log-level: expected one of .*"loud"/,
  },
  {
    name: "VETTED_MASTER_KEY=short",
    args: (db) => serve(db),
    env: { VETTED_MASTER_KEY: "short" },
    mentions: /VETTED_MASTER_KEY: must be the Base64 encoding of exactly 32 bytes/,
  },
  {
    name: "VETTED_MASTER_KEY with a stray character",
    args: (db) => ["admin", "org", "create", "--name", "x", "--database", db.url],
    env: { VETTED_MASTER_KEY: `!${newMasterKey().slice(1)}` },
    mentions: /VETTED_MASTER_KEY/,
  },
  {
    name: "--max-clock-skew -1",
    args: (db) => serve(db, "--max-clock-skew", "-1"),
    mentions: /--max-clock-skew: .*"-1"/,
  },
  {
    name: "VETTED_MAX_CLOCK_SKEW_S=0",
    args: (db) => serve(db),
    env: { VETTED_MAX_CLOCK_SKEW_S: "0" },
    mentions: /VETTED_MAX_CLOCK_SKEW_S: must be between 1 and 86400, got 0/,
  },
  {
    name: "--body-limit 0",
    args: (db) => serve(db, "--body-limit", "0"),
    mentions: /--body-limit: must be between/,
  },
  {
    name: "--env prod on an admin command",
    args: (db) => ["admin", "credential", "create", "--org", "org_x", "--env", "prod", "--database", db.url],
    mentions: /--env must be sandbox or live, got "prod"/,
  },
  {
    name: "--allow-multiple-applications-per-email maybe",
    args: (db) =>
      ["admin", "account", "create", "--org", "org_x", "--env", "live", "--database", db.url].concat(
        "--allow-multiple-applications-per-email",
        "maybe",
      ),
    mentions: /--allow-multiple-applications-per-email must be true or false, got "maybe"/,
  },
  {
    name: "--signature-policy loose",
    args: (db) =>
      ["admin", "credential", "create", "--org", "org_x", "--env", "live", "--database", db.url].concat(
        "--signature-policy",
        "loose",
      ),
    mentions: /--signature-policy must be strict or compat, got "loose"/,
  },
  { name: "an unknown flag", args: (db) => serve(db, "--bogus"), mentions: /unknown option '--bogus'/ },
  {
    name: "a misspelt flag (commander's hint stays on the same line)",
    args: (db) => serve(db, "--bodylimit", "5"),
    mentions: /unknown option '--bodylimit'.*--body-limit/,
  },
  {
    name: "a missing required option",
    args: (db) => ["admin", "account", "create", "--env", "sandbox", "--database", db.url],
    mentions: /--org/,
  },
];

for (const kind of databaseKinds()) {
  describe(`vetted configuration errors [${kind}]`, () => {
    let database: TestDatabase;
    let dataDir: string;
    const results = new Map<string, CliResult>();

    before(async () => {
      database = await createTestDatabase(kind);
      dataDir = tempDir("vetted-cli-config-");
      // The cases are independent, so a few run at once: each is a whole process start-up.
      const queue = [...CASES];
      const worker = async () => {
        for (let bad = queue.shift(); bad; bad = queue.shift()) {
          const env = cleanEnv({ VETTED_MASTER_KEY: newMasterKey(), ...bad.env });
          results.set(bad.name, await runCli([...bad.args(database), "--data-dir", dataDir], env));
        }
      };
      await Promise.all([worker(), worker(), worker()]);
    });
    after(async () => {
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    for (const bad of CASES) {
      it(`${bad.name}: exit 2, one line naming the setting`, () => {
        const result = results.get(bad.name);
        assert.ok(result, "the case ran");
        assertOneLineFailure(result, 2, bad.mentions);
        assert.match(result.stderr, /^vetted: /);
      });
    }

    it("a rejected start-up writes nothing: no data dir file, no database", async () => {
      assert.deepEqual(fs.readdirSync(dataDir), []);
      if (database.target.kind === "sqlite") {
        assert.equal(fs.existsSync(database.target.path), false, "the database was never opened");
      } else {
        const client = new pg.Client({ connectionString: database.target.url });
        await client.connect();
        try {
          const { rows } = await client.query("select to_regclass('schema_migrations') as t");
          assert.equal(rows[0]?.t, null, "no migration ran");
        } finally {
          await client.end();
        }
      }
    });

    it("a value from the flag wins over the environment", async () => {
      // The environment's database URL is invalid; the flag's value replaces it, so nothing fails.
      const env = cleanEnv({ VETTED_MASTER_KEY: newMasterKey(), VETTED_DATABASE_URL: "mysql://x" });
      const { value } = await runJson(
        ["admin", "org", "create", "--name", "Flag wins", "--database", database.url, "--data-dir", dataDir],
        env,
      );
      assert.match(String(value.organization_id), /^org_/);
    });
  });
}
