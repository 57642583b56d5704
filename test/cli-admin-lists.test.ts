/**
 * The admin list commands: `org list`, `pricing-model list` and `equipment-collection list` (new),
 * and the table every list prints for people (account and credential lists too), against a real
 * database. Setup is made in-process; each CLI start costs a second or more.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatList, formatTable } from "../src/cli/table.js";
import { assertJsonFailure, assertOneLineFailure, runCli, useCliDatabase } from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";

/** A table's lines split into cells on runs of two or more spaces. */
function cellsOf(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => line.split(/ {2,}/));
}

describe("the list table", () => {
  it("aligns columns, shows null as -, lists comma-separated, keeps a row on one line, no trailing spaces", () => {
    const rows = [
      { id: "a_1", name: "Two\nLines", tags: ["x", "y"], note: null },
      { id: "a_22", name: "B", tags: [], note: "last" },
    ];
    assert.equal(
      formatTable(rows, ["id", "name", "tags", "note"]),
      ["ID    NAME       TAGS  NOTE", "a_1   Two Lines  x,y   -", "a_22  B          -     last", ""].join(
        "\n",
      ),
    );
    assert.equal(
      formatList({ things: [] }, { key: "things", columns: ["id"], plural: "things" }),
      "no things\n",
    );
  });
});

for (const kind of databaseKinds()) {
  describe(`vetted admin … list [${kind}]`, { concurrency: 3 }, () => {
    const cli = useCliDatabase(kind);
    const run = (...args: string[]) =>
      runCli(["admin", ...args, "--database", cli().database.url, "--data-dir", cli().dataDir], cli().env);

    it("org list: every organization, oldest first, as JSON and as a table", async () => {
      const first = await cli().operator.createOrganization("First Org");
      const second = await cli().operator.createOrganization("Second Org");
      const [json, table] = await Promise.all([
        cli().admin<{ organizations: { organization_id: string; name: string; created_at: string }[] }>(
          "org",
          "list",
        ),
        run("org", "list"),
      ]);
      const mine = json.organizations.filter((o) => [first.id, second.id].includes(o.organization_id));
      assert.deepEqual(mine, [
        { organization_id: first.id, name: "First Org", created_at: first.created_at },
        { organization_id: second.id, name: "Second Org", created_at: second.created_at },
      ]);

      assert.equal(table.code, 0, table.stderr);
      assert.equal(table.stderr, "");
      const [header, ...rows] = cellsOf(table.stdout);
      assert.deepEqual(header, ["ORGANIZATION_ID", "NAME", "CREATED_AT"]);
      assert.deepEqual(
        rows.filter((row) => [first.id, second.id].includes(row[0] as string)),
        [
          [first.id, "First Org", first.created_at],
          [second.id, "Second Org", second.created_at],
        ],
      );
      assert.ok(!/ \n/.test(table.stdout), "no trailing spaces");
    });

    it("pricing-model and equipment-collection list: one account's or every account's", async () => {
      const org = await cli().operator.createOrganization("Setup Org");
      const [one, other] = await Promise.all(
        [1, 2].map(
          async () =>
            (await cli().operator.createAccount({ organizationId: org.id, environment: "sandbox" })).id,
        ),
      );
      const pm = await cli().operator.createPricingModel(one as string, "Standard pricing");
      await cli().operator.createPricingModel(other as string, "Other pricing");
      const ec = await cli().operator.createEquipmentCollection(one as string, "Terminals");
      const [pricing, equipment, allPricing] = await Promise.all([
        cli().admin<{ pricing_models: Record<string, string>[] }>(
          "pricing-model",
          "list",
          "--account",
          one as string,
        ),
        cli().admin<{ equipment_collections: Record<string, string>[] }>(
          ...["equipment-collection", "list", "--account", one as string],
        ),
        cli().admin<{ pricing_models: Record<string, string>[] }>("pricing-model", "list"),
      ]);
      assert.equal(pricing.pricing_models.length, 1);
      assert.deepEqual(Object.keys(pricing.pricing_models[0] ?? {}), [
        "pricing_model_id",
        "account_id",
        "name",
        "created_at",
      ]);
      assert.equal(pricing.pricing_models[0]?.pricing_model_id, pm.pricing_model_id);
      assert.equal(pricing.pricing_models[0]?.name, "Standard pricing");
      assert.deepEqual(
        equipment.equipment_collections.map((c) => [c.equipment_collection_id, c.account_id, c.name]),
        [[ec.equipment_collection_id, one, "Terminals"]],
      );
      const names = allPricing.pricing_models.map((m) => m.name);
      assert.ok(names.includes("Standard pricing") && names.includes("Other pricing"), "every account's");

      const [table, empty] = await Promise.all([
        run("equipment-collection", "list", "--account", one as string),
        run("equipment-collection", "list", "--account", other as string),
      ]);
      assert.equal(table.code, 0, table.stderr);
      assert.deepEqual(cellsOf(table.stdout), [
        ["EQUIPMENT_COLLECTION_ID", "ACCOUNT_ID", "NAME", "CREATED_AT"],
        [
          ec.equipment_collection_id,
          one,
          "Terminals",
          (equipment.equipment_collections[0] as Record<string, string>).created_at,
        ],
      ]);
      assert.equal(empty.code, 0, empty.stderr);
      assert.equal(empty.stdout, "no equipment collections\n");
    });

    it("an unknown account is exit 1, not an empty list", async () => {
      const [human, json] = await Promise.all([
        run("pricing-model", "list", "--account", "sb_doesNotExist"),
        run("equipment-collection", "list", "--account", "sb_doesNotExist", "--json"),
      ]);
      assertOneLineFailure(human, 1, /^vetted: account sb_doesNotExist does not exist\n$/);
      assertJsonFailure(json, 1, "not_found", /account sb_doesNotExist does not exist/);
    });

    it("account and credential lists print tables for people, never secrets", async () => {
      const org = await cli().operator.createOrganization("Table Org");
      const account = await cli().operator.createAccount({
        organizationId: org.id,
        environment: "live",
        name: "Live EU",
      });
      const issued = await cli().operator.createCredential({
        organizationId: org.id,
        environment: "live",
        name: "ops",
      });
      const [accounts, credentials] = await Promise.all([
        run("account", "list", "--org", org.id),
        run("credential", "list", "--org", org.id),
      ]);
      assert.equal(accounts.code, 0, accounts.stderr);
      assert.deepEqual(cellsOf(accounts.stdout), [
        ["ACCOUNT_ID", "ORGANIZATION_ID", "ENVIRONMENT", "NAME", "CREATED_AT"],
        [account.id, org.id, "live", "Live EU", account.created_at],
      ]);
      assert.equal(credentials.code, 0, credentials.stderr);
      const [header, row] = cellsOf(credentials.stdout);
      assert.deepEqual(header, [
        ...["API_KEY", "ORGANIZATION_ID", "ENVIRONMENT", "NAME", "SIGNATURE_POLICY"],
        ...["READ_ONLY", "CAN_UNMASK", "STATUS", "CREATED_AT"],
      ]);
      assert.deepEqual(row?.slice(0, 8), [
        issued.api_key,
        org.id,
        "live",
        "ops",
        "strict",
        "false",
        "true",
        "active",
      ]);
      assert.ok(
        !credentials.stdout.includes(issued.secret_key) && !credentials.stdout.includes(issued.auth_token),
      );
    });
  });
}
