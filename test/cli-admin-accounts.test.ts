/**
 * `vetted admin` for organizations, accounts and account setup entities, run as a real process
 * against a real database: each command's --json object, the human summary, and the failure
 * contract (exit 1, one line on stderr, nothing on stdout). What a test only needs as a
 * precondition is made in-process, since every CLI start costs a second or more.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout } from "node:timers/promises";
import { type AccountJson, assertJsonFailure, ISO_TIME, runCli, useCliDatabase } from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";

const ACCOUNT_FIELDS = [
  "account_id",
  "allow_multiple_applications_per_email",
  "bank_account_purposes",
  "completion_requirements",
  "created_at",
  "environment",
  "issued_identifier_types",
  "location_bank_account_purposes",
  "locations_enabled",
  "max_bank_accounts_per_business",
  "max_bank_accounts_per_subject_record",
  "max_owners_per_business",
  "minimum_ownership_percentage",
  "name",
  "organization_id",
  "updated_at",
];

for (const kind of databaseKinds()) {
  // The tests share nothing but the database, and each waits mostly on CLI start-up: run a few at once.
  describe(`vetted admin org/account/setup [${kind}]`, { concurrency: 3 }, () => {
    const cli = useCliDatabase(kind);
    const admin = <T = Record<string, unknown>>(...args: string[]) => cli().admin<T>(...args);
    const newOrg = async (name = "Acme") => (await cli().operator.createOrganization(name)).id;
    const newAccount = async (organizationId: string, environment: "sandbox" | "live" = "sandbox") =>
      (await cli().operator.createAccount({ organizationId, environment })).id;

    it("org create prints the new organization's ID and stores it", async () => {
      const created = await admin("org", "create", "--name", "Acme Holdings");
      assert.deepEqual(Object.keys(created).sort(), ["name", "organization_id"]);
      assert.match(String(created.organization_id), /^org_[0-9A-Za-z]{21,22}$/);
      assert.equal(created.name, "Acme Holdings");
      const stored = await cli().store.getOrganization(String(created.organization_id));
      assert.equal(stored?.name, "Acme Holdings");
    });

    it("account create makes sandbox and live accounts, with or without a name and the email option", async () => {
      const org = await newOrg();
      const [sandbox, live] = await Promise.all([
        admin<AccountJson>("account", "create", "--org", org, "--env", "sandbox"),
        admin<AccountJson>(
          ...["account", "create", "--org", org, "--env", "live", "--name", "Live EU"],
          ...["--allow-multiple-applications-per-email", "false"],
        ),
      ]);
      assert.deepEqual(Object.keys(sandbox).sort(), ACCOUNT_FIELDS);
      assert.match(sandbox.account_id, /^sb_[0-9A-Za-z]{21,22}$/);
      assert.equal(sandbox.organization_id, org);
      assert.equal(sandbox.environment, "sandbox");
      assert.equal(sandbox.name, null);
      assert.equal(sandbox.allow_multiple_applications_per_email, true, "the default allows repeats");
      assert.match(sandbox.created_at, ISO_TIME);
      assert.equal(sandbox.updated_at, sandbox.created_at);

      assert.deepEqual(Object.keys(live).sort(), ACCOUNT_FIELDS);
      assert.match(live.account_id, /^lv_[0-9A-Za-z]{21,22}$/);
      assert.equal(live.organization_id, org);
      assert.equal(live.environment, "live");
      assert.equal(live.name, "Live EU");
      assert.equal(live.allow_multiple_applications_per_email, false);

      for (const { account_id, ...printed } of [sandbox, live]) {
        const stored = await cli().store.getAccount(account_id);
        assert.deepEqual(stored, { id: account_id, ...printed }, "what was printed is what was stored");
      }
    });

    it("account update changes the name or the option and keeps everything else", async () => {
      const id = await newAccount(await newOrg());
      const before = await cli().store.getAccount(id);
      assert.ok(before);
      const renamed = await admin<AccountJson>("account", "update", "--account", id, "--name", "Renamed");
      assert.equal(renamed.name, "Renamed");
      assert.equal(renamed.allow_multiple_applications_per_email, true);
      const strict = await admin<AccountJson>(
        ...["account", "update", "--account", id, "--allow-multiple-applications-per-email", "false"],
      );
      assert.deepEqual(Object.keys(strict).sort(), ACCOUNT_FIELDS);
      const { id: _id, ...unchanged } = before;
      assert.deepEqual(
        { ...strict, updated_at: before.updated_at },
        { account_id: id, ...unchanged, name: "Renamed", allow_multiple_applications_per_email: false },
      );
      assert.match(strict.updated_at, ISO_TIME);
      assert.ok(strict.updated_at >= before.updated_at);
      const stored = await cli().store.getAccount(id);
      assert.equal(stored?.name, "Renamed");
      assert.equal(stored?.allow_multiple_applications_per_email, false);
    });

    it("account list lists every account, or one organization's, oldest first", async () => {
      const [first, second] = await Promise.all([newOrg("First"), newOrg("Second")]);
      // Made in this process, two accounts can share a millisecond, and ties list by ID: let the
      // clock move on between them so that "oldest first" decides.
      const a = await newAccount(first);
      await setTimeout(3);
      const b = await newAccount(first, "live");
      await setTimeout(3);
      const c = await newAccount(second);

      const [ofFirst, all] = await Promise.all([
        admin<{ accounts: AccountJson[] }>("account", "list", "--org", first),
        admin<{ accounts: AccountJson[] }>("account", "list"),
      ]);
      assert.deepEqual(Object.keys(ofFirst), ["accounts"]);
      assert.deepEqual(
        ofFirst.accounts.map((account) => account.account_id),
        [a, b],
      );
      const stored = await cli().store.getAccount(b);
      assert.ok(stored);
      const { id: _id, ...fields } = stored;
      assert.deepEqual(ofFirst.accounts[1], { account_id: b, ...fields });
      const ids = all.accounts.map((account) => account.account_id);
      for (const id of [a, b, c]) assert.ok(ids.includes(id), `${id} is listed`);
      assert.ok(ids.indexOf(a) < ids.indexOf(c), "oldest first");
    });

    it("pricing-model create and equipment-collection create add entities to one account", async () => {
      const org = await newOrg();
      const [account, other] = await Promise.all([newAccount(org), newAccount(org)]);
      const [pm, ec] = await Promise.all([
        admin("pricing-model", "create", "--account", account, "--name", "Standard"),
        admin("equipment-collection", "create", "--account", account, "--name", "POS"),
      ]);
      assert.deepEqual(Object.keys(pm), ["pricing_model_id"]);
      assert.match(String(pm.pricing_model_id), /^pm_[0-9A-Za-z]{21,22}$/);
      assert.deepEqual(Object.keys(ec), ["equipment_collection_id"]);
      assert.match(String(ec.equipment_collection_id), /^ec_[0-9A-Za-z]{21,22}$/);
      const { store } = cli();
      const pmId = String(pm.pricing_model_id);
      const ecId = String(ec.equipment_collection_id);
      assert.equal(await store.pricingModelExists(account, pmId), true);
      assert.equal(await store.pricingModelExists(other, pmId), false);
      assert.equal(await store.equipmentCollectionExists(account, ecId), true);
      assert.equal(await store.equipmentCollectionExists(other, ecId), false);
    });

    it("without --json prints a short human summary", async () => {
      const org = await newOrg();
      const { database, env } = cli();
      const args = ["admin", "account", "create", "--org", org, "--env", "sandbox", "--name", "Shop"];
      const result = await runCli([...args, "--database", database.url], env);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
      assert.throws(() => JSON.parse(result.stdout), "human output is not JSON");
      assert.match(result.stdout, /^account_id: sb_[0-9A-Za-z]{21,22}$/m);
      assert.match(result.stdout, new RegExp(`^organization_id: ${org}$`, "m"));
      assert.match(result.stdout, /^environment: sandbox$/m);
      assert.match(result.stdout, /^name: Shop$/m);
      assert.match(result.stdout, /^allow_multiple_applications_per_email: true$/m);
      assert.match(
        result.stdout,
        /^completion_requirements: BUSINESS, BUSINESS_FIELDS, CONTROL_PRONG_OWNER, PRIMARY_BANK_ACCOUNT, SALES_INFO$/m,
      );
      assert.match(result.stdout, /^minimum_ownership_percentage: -$/m);
      assert.match(result.stdout, /^bank_account_purposes: 0$/m);
    });

    it("an operation that fails exits 1 with one JSON error on stderr and nothing on stdout", async () => {
      const { database, env } = cli();
      const run = (...args: string[]) =>
        runCli(["admin", ...args, "--json", "--database", database.url], env);
      const [unknownOrg, unknownAccount] = await Promise.all([
        run("account", "create", "--org", "org_doesNotExist", "--env", "sandbox"),
        run("pricing-model", "create", "--account", "sb_nope", "--name", "x"),
      ]);
      assertJsonFailure(unknownOrg, 1, "not_found", /^organization org_doesNotExist does not exist$/);
      assertJsonFailure(unknownAccount, 1, "not_found", /^account sb_nope does not exist$/);
      assert.deepEqual(await cli().store.listAccounts("org_doesNotExist"), []);
    });
  });
}
