/**
 * `vetted admin document-type create|update|list` run as a real process against a real database
 * (operator.md; data.md §11): the type as printed and stored, a code already in the catalogue
 * (exit 1), `--alternate` replacing all, unknown accounts and codes (exit 1), malformed values
 * (exit 2, before the database is touched), and the human summary.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { presentAccountDocumentType } from "../src/domain/document-types.js";
import {
  assertJsonFailure,
  assertOneLineFailure,
  ISO_TIME,
  runCli,
  threeAtATime,
  useCliDatabase,
} from "./support/cli.js";
import { databaseKinds } from "./support/databases.js";

type TypeJson = ReturnType<typeof presentAccountDocumentType>;

for (const kind of databaseKinds()) {
  describe(`vetted admin document-type [${kind}]`, { concurrency: 3 }, () => {
    const cli = useCliDatabase(kind);
    const admin = <T = TypeJson>(...args: string[]) => cli().admin<T>(...args);
    const run = (...args: string[]) =>
      runCli(["admin", ...args, "--database", cli().database.url, "--data-dir", cli().dataDir], cli().env);
    const newAccount = async () => {
      const organization = await cli().operator.createOrganization("Acme");
      return (await cli().operator.createAccount({ organizationId: organization.id, environment: "sandbox" }))
        .id;
    };
    const stored = async (accountId: string, code: string) => {
      const type = await cli().store.getAccountDocumentType(accountId, code);
      return type && presentAccountDocumentType(type);
    };

    it("create adds a type with its alternates and status; list shows it after the seeded eight", async () => {
      const account = await newAccount();
      const created = await admin(
        ...["document-type", "create", "--account", account, "--code", "W9_FORM", "--name", "W-9 form"],
        ...[
          "--requirement",
          "A signed IRS form W-9.",
          "--alternate",
          "A W-8BEN.",
          "--alternate",
          "An IRS letter.",
        ],
        ...["--status", "INACTIVE"],
      );
      assert.match(created.account_document_type_id, /^adt_[0-9A-Za-z]{21,22}$/);
      assert.equal(created.document_type_code, "W9_FORM");
      assert.equal(created.document_name, "W-9 form");
      assert.equal(created.status, "INACTIVE");
      assert.deepEqual(created.requirements, {
        default_requirement: { requirement_text: "A signed IRS form W-9." },
      });
      assert.deepEqual(created.alternate_requirements, [
        { requirement_text: "A W-8BEN." },
        { requirement_text: "An IRS letter." },
      ]);
      assert.match(created.created_at, ISO_TIME);
      assert.equal(created.updated_at, created.created_at);
      assert.deepEqual(await stored(account, "W9_FORM"), created, "what was printed is what was stored");

      const listed = await admin<{ document_types: TypeJson[] }>(
        "document-type",
        "list",
        "--account",
        account,
      );
      assert.deepEqual(Object.keys(listed), ["document_types"]);
      assert.equal(listed.document_types.length, 9);
      assert.equal(listed.document_types[0]?.document_type_code, "BANK_STATEMENTS");
      assert.deepEqual(listed.document_types.at(-1), created);
    });

    it("a code already in the catalogue is exit 1 and changes nothing; an unknown account is exit 1", async () => {
      const account = await newAccount();
      const before = await stored(account, "BANK_STATEMENTS");
      const [duplicate, unknownCreate, unknownList] = await threeAtATime([
        () =>
          run(
            ...["document-type", "create", "--account", account, "--code", "BANK_STATEMENTS"],
            ...["--name", "Statements", "--requirement", "Any statement.", "--json"],
          ),
        () =>
          run(
            ...["document-type", "create", "--account", "sb_nope", "--code", "W9_FORM"],
            ...["--name", "W-9", "--requirement", "A W-9.", "--json"],
          ),
        () => run("document-type", "list", "--account", "sb_nope", "--json"),
      ]);
      assertJsonFailure(
        duplicate,
        1,
        "conflict",
        new RegExp(`^document type BANK_STATEMENTS is already in the catalogue of account ${account}$`),
      );
      assertJsonFailure(unknownCreate, 1, "not_found", /^account sb_nope does not exist$/);
      assertJsonFailure(unknownList, 1, "not_found", /^account sb_nope does not exist$/);
      assert.deepEqual(await stored(account, "BANK_STATEMENTS"), before);
    });

    it("update changes what it names; --alternate replaces all alternates, a lone empty one removes them", async () => {
      const account = await newAccount();
      await cli().operator.updateDocumentType({
        accountId: account,
        code: "VOIDED_CHECK",
        alternates: ["A bank letter.", "A deposit slip."],
      });
      const before = await stored(account, "VOIDED_CHECK");
      assert.ok(before);
      const replaced = await admin(
        ...["document-type", "update", "--account", account, "--code", "VOIDED_CHECK"],
        ...["--alternate", "A screenshot of the bank's app.", "--status", "INACTIVE"],
      );
      assert.deepEqual(replaced.alternate_requirements, [
        { requirement_text: "A screenshot of the bank's app." },
      ]);
      assert.equal(replaced.status, "INACTIVE");
      assert.equal(replaced.document_name, before.document_name, "a name not given is unchanged");
      assert.deepEqual(replaced.requirements, before.requirements);
      assert.equal(replaced.created_at, before.created_at);
      assert.ok(replaced.updated_at > before.updated_at);
      assert.deepEqual(await stored(account, "VOIDED_CHECK"), replaced);

      const cleared = await admin(
        ...["document-type", "update", "--account", account, "--code", "VOIDED_CHECK", "--alternate", ""],
        ...["--name", "Voided cheque", "--requirement", "A voided cheque."],
      );
      assert.deepEqual(cleared.alternate_requirements, []);
      assert.equal(cleared.document_name, "Voided cheque");
      assert.deepEqual(cleared.requirements, {
        default_requirement: { requirement_text: "A voided cheque." },
      });
      assert.equal(cleared.status, "INACTIVE", "a status not given is unchanged");
      assert.deepEqual(await stored(account, "VOIDED_CHECK"), cleared);
    });

    it("update of a code not in the catalogue, or of an unknown account, is exit 1", async () => {
      const account = await newAccount();
      const [unknownCode, unknownAccount] = await threeAtATime([
        () =>
          run(
            "document-type",
            "update",
            "--account",
            account,
            "--code",
            "NOPE",
            "--status",
            "ACTIVE",
            "--json",
          ),
        () => run("document-type", "update", "--account", "sb_nope", "--code", "TAX_RETURN", "--json"),
      ]);
      assertJsonFailure(
        unknownCode,
        1,
        "not_found",
        new RegExp(`^document type NOPE is not in the catalogue of account ${account}$`),
      );
      assertJsonFailure(unknownAccount, 1, "not_found", /^account sb_nope does not exist$/);
      assert.equal(await stored(account, "NOPE"), undefined);
    });

    it("malformed values are usage errors (exit 2) and store nothing", async () => {
      const account = await newAccount();
      const create = ["document-type", "create", "--account", account];
      const results = await threeAtATime([
        () => run(...create, "--code", "w9", "--name", "W-9", "--requirement", "A W-9."),
        () =>
          run(...create, "--code", "W9", "--name", "W-9", "--requirement", "A W-9.", "--status", "active"),
        () => run(...create, "--code", "W9", "--name", "W-9"),
        () => run(...create, "--code", "W9", "--name", " ", "--requirement", "A W-9."),
        () =>
          run(
            ...create,
            "--code",
            "W9",
            "--name",
            "W-9",
            "--requirement",
            "A W-9.",
            "--alternate",
            "x",
            "--alternate",
            "",
          ),
        () => run(...create, "--code", "W9", "--name", "W-9", "--requirement", "  "),
      ]);
      const mentions = [
        /--code must be an enum token/,
        /--status must be ACTIVE or INACTIVE, got "active"/,
        /required option '--requirement <text>' not specified/,
        /--name must be 1–100 characters/,
        /--alternate "" \(no alternate requirements\) cannot be combined with others/,
        /--requirement must be 1–1000 characters with at least one non-space/,
      ];
      results.forEach((result, i) => {
        assertOneLineFailure(result, 2, mentions[i] as RegExp);
      });
      assert.equal(await stored(account, "W9"), undefined);
    });

    it("without --json, prints a table: one row per type, the catalogue's order", async () => {
      const account = await newAccount();
      const result = await run("document-type", "list", "--account", account);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
      const lines = result.stdout.trimEnd().split("\n");
      assert.equal(lines.length, 9, "a header and the eight seeded types");
      assert.deepEqual(lines[0]?.split(/ {2,}/), [
        "ACCOUNT_DOCUMENT_TYPE_ID",
        "DOCUMENT_TYPE_CODE",
        "STATUS",
        "DOCUMENT_NAME",
      ]);
      assert.match(lines[1] ?? "", /^adt_\w+ +BANK_STATEMENTS +ACTIVE +Bank Statements$/);
    });
  });
}
