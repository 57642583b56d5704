/**
 * The data settings of `vetted admin account create|update` (operator.md; data.md §3.6), run as a
 * real process: every setting in the account's JSON, the defaults of a new account, each flag
 * stored as given (a list replaces the stored one, `""` empties only the requirement list, `none`
 * unsets the minimum), the refusals that are operation errors (exit 1: an unknown or repeated
 * requirement key, a repeated value, a clash with a built-in value — nothing changes), and the
 * malformed values that are usage errors (exit 2, before the database is opened).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { defaultAccountDataSettings } from "../src/domain/account-settings.js";
import {
  type AccountJson,
  assertJsonFailure,
  type CliResult,
  cleanEnv,
  newMasterKey,
  runCli,
  useCliDatabase,
} from "./support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase, tempDir } from "./support/databases.js";

/** The account's JSON keys, in the order it prints them. */
const ACCOUNT_KEYS = [
  "account_id",
  "organization_id",
  "environment",
  "name",
  "allow_multiple_applications_per_email",
  "completion_requirements",
  "locations_enabled",
  "max_owners_per_business",
  "max_bank_accounts_per_business",
  "max_bank_accounts_per_subject_record",
  "minimum_ownership_percentage",
  "bank_account_purposes",
  "location_bank_account_purposes",
  "issued_identifier_types",
  "created_at",
  "updated_at",
];

const DEFAULTS = {
  completion_requirements: [
    "BUSINESS",
    "BUSINESS_FIELDS",
    "CONTROL_PRONG_OWNER",
    "PRIMARY_BANK_ACCOUNT",
    "SALES_INFO",
  ],
  locations_enabled: true,
  max_owners_per_business: 25,
  max_bank_accounts_per_business: 20,
  max_bank_accounts_per_subject_record: 50,
  minimum_ownership_percentage: null,
  bank_account_purposes: [],
  location_bank_account_purposes: [],
  issued_identifier_types: [],
};

/** Every setting given on the command line, and what each must store. */
const EVERY_FLAG = [
  ...["--completion-requirements", "SALES_INFO,BUSINESS,OWNER_ADDRESS,BUSINESS_LOCATION"],
  ...["--locations-enabled", "false"],
  ...["--max-owners-per-business", "1"],
  ...["--max-bank-accounts-per-business", "1000"],
  ...["--max-bank-accounts-per-subject-record", "7"],
  ...["--minimum-ownership-percentage", "0"],
  ...["--bank-account-purposes", "PAYROLL, TAX_2"],
  ...["--location-bank-account-purposes", "RENT"],
  ...["--issued-identifier-types", "NATIONAL_ID,A"],
];
const EVERY_SETTING = {
  completion_requirements: ["SALES_INFO", "BUSINESS", "OWNER_ADDRESS", "BUSINESS_LOCATION"],
  locations_enabled: false,
  max_owners_per_business: 1,
  max_bank_accounts_per_business: 1000,
  max_bank_accounts_per_subject_record: 7,
  minimum_ownership_percentage: 0,
  bank_account_purposes: ["PAYROLL", "TAX_2"],
  location_bank_account_purposes: ["RENT"],
  issued_identifier_types: ["NATIONAL_ID", "A"],
};

for (const kind of databaseKinds()) {
  describe(`vetted admin account data settings [${kind}]`, { concurrency: 3 }, () => {
    const cli = useCliDatabase(kind);
    const admin = <T = AccountJson>(...args: string[]) => cli().admin<T>(...args);
    const newOrg = async () => (await cli().operator.createOrganization("Acme")).id;
    const run = (...args: string[]) => {
      const { database, env } = cli();
      return runCli(["admin", ...args, "--json", "--database", database.url], env);
    };

    it("a new account gets the defaults, and its JSON shows every setting", async () => {
      const created = await admin("account", "create", "--org", await newOrg(), "--env", "sandbox");
      assert.deepEqual(Object.keys(created), ACCOUNT_KEYS);
      assert.deepEqual({ ...created, ...DEFAULTS }, created, "the defaults of data.md §3.6");
      assert.deepEqual(defaultAccountDataSettings(), DEFAULTS);
      const { account_id, ...printed } = created;
      assert.deepEqual(await cli().store.getAccount(account_id), { id: account_id, ...printed });
      assert.deepEqual(await cli().store.getAccountDataSettings(account_id), DEFAULTS);
    });

    it("create stores every setting as given, requirement keys in their order", async () => {
      const org = await newOrg();
      const [every, empty] = await Promise.all([
        admin("account", "create", "--org", org, "--env", "sandbox", ...EVERY_FLAG),
        admin(
          ...["account", "create", "--org", org, "--env", "live", "--completion-requirements", ""],
          ...["--minimum-ownership-percentage", "100"],
        ),
      ]);
      assert.deepEqual(Object.keys(every), ACCOUNT_KEYS);
      assert.deepEqual({ ...every, ...EVERY_SETTING }, every);
      assert.deepEqual(await cli().store.getAccountDataSettings(every.account_id), EVERY_SETTING);
      assert.deepEqual(empty.completion_requirements, [], '"" is the empty list');
      assert.equal(empty.minimum_ownership_percentage, 100);
      assert.deepEqual((await cli().store.getAccount(empty.account_id))?.completion_requirements, []);
    });

    it("update changes only the settings given: a list replaces the stored one, none unsets the minimum", async () => {
      const org = await newOrg();
      const { id } = await cli().operator.createAccount({
        organizationId: org,
        environment: "sandbox",
        dataSettings: { minimum_ownership_percentage: 30, bank_account_purposes: ["OLD_ONE", "OLD_TWO"] },
      });
      const first = await admin(
        ...["account", "update", "--account", id, "--bank-account-purposes", "NEW_ONE"],
        ...["--minimum-ownership-percentage", "none", "--completion-requirements", "OWNER_FIELDS"],
      );
      assert.deepEqual(first.bank_account_purposes, ["NEW_ONE"], "replaced, not merged");
      assert.equal(first.minimum_ownership_percentage, null);
      assert.deepEqual(first.completion_requirements, ["OWNER_FIELDS"]);
      assert.equal(first.max_owners_per_business, 25, "a setting not given is unchanged");
      const second = await admin("account", "update", "--account", id, "--completion-requirements", "");
      assert.deepEqual(second.completion_requirements, []);
      assert.deepEqual(second.bank_account_purposes, ["NEW_ONE"]);
      const third = await admin("account", "update", "--account", id, ...EVERY_FLAG);
      assert.deepEqual({ ...third, ...EVERY_SETTING }, third);
      assert.deepEqual(await cli().store.getAccountDataSettings(id), EVERY_SETTING);
      assert.ok(third.updated_at >= first.updated_at);
    });

    it("an unknown or repeated key, a repeated value or a built-in value exits 1 and changes nothing", async () => {
      const org = await newOrg();
      const { id } = await cli().operator.createAccount({ organizationId: org, environment: "sandbox" });
      const before = await cli().store.getAccount(id);
      const update = (...flags: string[]) => run("account", "update", "--account", id, ...flags);
      const create = (...flags: string[]) =>
        run("account", "create", "--org", org, "--env", "sandbox", ...flags);
      const refusals: [() => Promise<CliResult>, RegExp][] = [
        [
          () => update("--completion-requirements", "BUSINESS,FOO"),
          /^--completion-requirements: unknown key "FOO"/,
        ],
        [() => update("--completion-requirements", "business"), /unknown key "business"/],
        [
          () => update("--completion-requirements", "SALES_INFO,BUSINESS,SALES_INFO"),
          /SALES_INFO is given twice/,
        ],
        [
          () => update("--bank-account-purposes", "PAYROLL,PRIMARY"),
          /^--bank-account-purposes: PRIMARY is a built-in value/,
        ],
        [
          () => create("--location-bank-account-purposes", "FEES"),
          /^--location-bank-account-purposes: FEES is a built-in/,
        ],
        [
          () => create("--issued-identifier-types", "PASSPORT"),
          /^--issued-identifier-types: PASSPORT is a built-in/,
        ],
        [() => create("--issued-identifier-types", "A,B,A"), /A is given twice/],
        // Refused whole: the valid flags beside the refused one change nothing either.
        [() => update("--max-owners-per-business", "3", "--bank-account-purposes", "SETTLEMENT"), /built-in/],
      ];
      // Three processes at a time: more only crowd a two-core machine.
      for (let i = 0; i < refusals.length; i += 3) {
        const batch = refusals.slice(i, i + 3);
        const results = await Promise.all(batch.map(([refused]) => refused()));
        for (const [j, [, mentions]] of batch.entries())
          assertJsonFailure(results[j] as CliResult, 1, "rejected", mentions);
      }
      assert.deepEqual(await cli().store.getAccount(id), before);
      assert.deepEqual(
        (await cli().store.listAccounts(org)).map((a) => a.id),
        [id],
        "no account was created",
      );
    });
  });
}

interface UsageCase {
  args: string[];
  mentions: RegExp;
}

const create = (...flags: string[]) => ["account", "create", "--org", "org_x", "--env", "sandbox", ...flags];
const update = (...flags: string[]) => ["account", "update", "--account", "sb_x", ...flags];
const LIMIT = /must be an integer from 1 to 1000, got/;

/** Malformed values: usage errors, refused before the database is opened. */
const USAGE_CASES: UsageCase[] = [
  { args: create("--max-owners-per-business", "0"), mentions: LIMIT },
  { args: update("--max-bank-accounts-per-business", "1001"), mentions: LIMIT },
  { args: create("--max-bank-accounts-per-subject-record", "1.5"), mentions: LIMIT },
  { args: update("--max-owners-per-business", "-3"), mentions: LIMIT },
  { args: create("--max-owners-per-business", "ten"), mentions: LIMIT },
  {
    args: update("--minimum-ownership-percentage", "101"),
    mentions: /--minimum-ownership-percentage must be an integer from 0 to 100 or none, got "101"/,
  },
  { args: create("--minimum-ownership-percentage", "NONE"), mentions: /or none, got "NONE"/ },
  { args: update("--locations-enabled", "yes"), mentions: /--locations-enabled must be true or false/ },
  { args: create("--bank-account-purposes", ""), mentions: /--bank-account-purposes must not be empty/ },
  {
    args: update("--issued-identifier-types", "A,,B"),
    mentions: /--issued-identifier-types has an empty item/,
  },
  {
    args: create("--location-bank-account-purposes", "rent"),
    mentions: /--location-bank-account-purposes: "rent" is not an enum token/,
  },
  { args: update("--bank-account-purposes", "1ST"), mentions: /"1ST" is not an enum token/ },
  { args: create("--bank-account-purposes", `A${"B".repeat(50)}`), mentions: /is not an enum token/ },
  {
    args: update("--completion-requirements", "BUSINESS,"),
    mentions: /--completion-requirements has an empty item/,
  },
];

describe("vetted admin account data settings: usage errors", () => {
  let database: TestDatabase;
  let dataDir: string;
  const results: CliResult[] = [];

  before(async () => {
    database = await createTestDatabase("sqlite");
    dataDir = tempDir("vetted-cli-settings-");
    const env = cleanEnv({ VETTED_MASTER_KEY: newMasterKey() });
    const queue = USAGE_CASES.map((bad, i) => ({ bad, i }));
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const args = ["admin", ...next.bad.args, "--json", "--database", database.url, "--data-dir", dataDir];
        results[next.i] = await runCli(args, env);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  });
  after(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  USAGE_CASES.forEach((bad, i) => {
    it(`${bad.args.slice(2).join(" ")}: exit 2`, () => {
      const result = results[i];
      assert.ok(result, "the case ran");
      assertJsonFailure(result, 2, "usage", bad.mentions);
    });
  });

  it("opened no database", () => {
    assert.equal(fs.existsSync(database.target.kind === "sqlite" ? database.target.path : ""), false);
  });
});
