/**
 * account.documentType.list: a new account's seeded catalogue in the order of data.md §2.5, every
 * status, oldest first in pages; operator changes show; bad input and unknown accounts; access.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, expectErrors, expectOk, ISO_MS, notFound } from "../support/workflows.js";

const SEEDED = [
  ["BANK_STATEMENTS", "Bank Statements"],
  ["VOIDED_CHECK", "Voided Check"],
  ["BUSINESS_LICENSE", "Business License"],
  ["ARTICLES_OF_INCORPORATION", "Articles Of Incorporation"],
  ["GOVERNMENT_ID", "Government Id"],
  ["PROOF_OF_ADDRESS", "Proof Of Address"],
  ["TAX_RETURN", "Tax Return"],
  ["PROCESSING_STATEMENTS", "Processing Statements"],
];

const KEYS = [
  "account_document_type_id",
  "document_type_code",
  "document_name",
  "status",
  "requirements",
  "alternate_requirements",
  "created_at",
  "updated_at",
];

for (const kind of databaseKinds()) {
  describe(`account.documentType.list [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("a new account lists the eight seeded types, ACTIVE, named from their codes, in §2.5 order", async () => {
        const { client, account } = await server().fixture();
        const listed = expectOk(await client.call("account.documentType.list", { account_id: account.id }));
        assert.equal(listed.has_more, false);
        assert.equal(listed.next_cursor, null);
        assert.deepEqual(
          listed.document_types.map((t) => [t.document_type_code, t.document_name]),
          SEEDED,
        );
        for (const type of listed.document_types) {
          assert.deepEqual(Object.keys(type), KEYS);
          assert.match(type.account_document_type_id, /^adt_[0-9A-Za-z]{21,22}$/);
          assert.equal(type.status, "ACTIVE");
          assert.deepEqual(Object.keys(type.requirements), ["default_requirement"]);
          // One sentence: a capital first, one full stop, at the end.
          assert.match(type.requirements.default_requirement.requirement_text, /^[A-Z][^.]+\.$/);
          assert.deepEqual(type.alternate_requirements, []);
          assert.match(type.created_at, ISO_MS);
          assert.equal(type.updated_at, type.created_at);
          assert.ok(type.created_at >= account.created_at, "seeded with the account");
        }
        // Another account has a catalogue of its own.
        const other = await server().fixture();
        const theirs = expectOk(
          await other.client.call("account.documentType.list", { account_id: other.account.id }),
        );
        assert.equal(theirs.document_types.length, 8);
        const mine = new Set(listed.document_types.map((t) => t.account_document_type_id));
        assert.ok(theirs.document_types.every((t) => !mine.has(t.account_document_type_id)));
      });

      it("pages oldest first with every status, an added type last, and shows the operator's changes", async () => {
        const { client, account } = await server().fixture();
        const { operator, clock } = server();
        // The added type is created well after the seed, whatever the machine's speed.
        clock.offsetMs += 1000;
        try {
          await operator.createDocumentType({
            accountId: account.id,
            code: "W9_FORM",
            name: "W-9",
            requirement: "A signed IRS form W-9.",
            alternates: ["A W-8BEN for foreign persons.", "A letter from the IRS."],
          });
          await operator.updateDocumentType({
            accountId: account.id,
            code: "TAX_RETURN",
            status: "INACTIVE",
          });
        } finally {
          clock.offsetMs -= 1000;
        }
        const seen = [];
        let cursor: string | undefined;
        const sizes = [];
        for (;;) {
          const page = expectOk(
            await client.call("account.documentType.list", { account_id: account.id, limit: 4, cursor }),
          );
          seen.push(...page.document_types);
          sizes.push(page.document_types.length);
          if (!page.has_more) {
            assert.equal(page.next_cursor, null);
            break;
          }
          assert.ok(page.next_cursor);
          cursor = page.next_cursor;
        }
        assert.deepEqual(sizes, [4, 4, 1]);
        assert.deepEqual(
          seen.map((t) => t.document_type_code),
          [...SEEDED.map(([code]) => code), "W9_FORM"],
        );
        const taxReturn = seen.find((t) => t.document_type_code === "TAX_RETURN");
        assert.equal(taxReturn?.status, "INACTIVE", "INACTIVE types are listed too");
        assert.ok((taxReturn?.updated_at ?? "") > (taxReturn?.created_at ?? ""));
        const added = seen.at(-1);
        assert.deepEqual(added?.requirements, {
          default_requirement: { requirement_text: "A signed IRS form W-9." },
        });
        assert.deepEqual(added?.alternate_requirements, [
          { requirement_text: "A W-8BEN for foreign persons." },
          { requirement_text: "A letter from the IRS." },
        ]);
        assert.equal(added?.document_name, "W-9");
        assert.equal(added?.status, "ACTIVE");
        // The whole catalogue in one page is the same list.
        const whole = expectOk(await client.call("account.documentType.list", { account_id: account.id }));
        assert.deepEqual(whole.document_types, seen);
      });
    });

    describe("errors", () => {
      it("refuses a missing or malformed account_id, a bad limit and a foreign cursor; an unknown account is not found", async () => {
        const { client, account } = await server().fixture();
        expectErrors(await callUntyped(client, "account.documentType.list", {}), 400, [
          badRequest("account_id", "is required"),
        ]);
        expectErrors(await callUntyped(client, "account.documentType.list", { account_id: 7 }), 400, [
          badRequest("account_id", "must be string"),
        ]);
        expectErrors(
          await callUntyped(client, "account.documentType.list", { account_id: account.id, limit: 0 }),
          400,
          [badRequest("limit", "must be >= 1")],
        );
        expectErrors(
          await callUntyped(client, "account.documentType.list", { account_id: account.id, extra: 1 }),
          400,
          [{ code: "BAD_REQUEST", message: "extra is not a known field", field: "extra" }],
        );
        expectErrors(
          await client.call("account.documentType.list", { account_id: "sb_4vrv6U1vdpc341MO7cF8pE" }),
          400,
          [notFound("Account", "account_id")],
        );
        // A cursor of another account's catalogue, or of another list, answers no page here.
        const other = await server().operator.createAccount({
          organizationId: (await server().store.getAccount(account.id))?.organization_id ?? "",
          environment: "sandbox",
        });
        const otherPage = expectOk(
          await client.call("account.documentType.list", { account_id: other.id, limit: 1 }),
        );
        const foreign = otherPage.next_cursor ?? "";
        assert.notEqual(foreign, "");
        const cursorRefused = [
          {
            code: "BAD_REQUEST" as const,
            message: "cursor is not a cursor this server issued",
            field: "cursor",
          },
        ];
        expectErrors(
          await client.call("account.documentType.list", { account_id: account.id, cursor: foreign }),
          400,
          cursorRefused,
        );
        expectErrors(
          await client.call("account.documentType.list", { account_id: account.id, cursor: "garbage" }),
          400,
          cursorRefused,
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential lists", async () => {
        const { account, reader } = await withReader(server());
        const page = expectOk(await reader.call("account.documentType.list", { account_id: account.id }));
        assert.equal(page.document_types.length, 8);
      });

      it("answers ENTITY_NOT_FOUND for another organization's, an unlisted and a live account", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          expectErrors(await viewer.call("account.documentType.list", { account_id: accountId }), 400, [
            notFound("Account", "account_id"),
          ]);
          const page = expectOk(await owner.call("account.documentType.list", { account_id: accountId }));
          assert.equal(page.document_types.length, 8, name);
        }
      });
    });
  });
}
