/**
 * metadata.type.define: the definition as stored (defaults filled in), its body rules, names
 * unique per account and case-sensitive, the 200 types per account (also raced), no event, and
 * who may define where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { defineType, IP_FIELDS, METADATA_ERRORS } from "../support/metadata.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, ERRORS, expectErrors, ISO_MS, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`metadata.type.define [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("answers the definition with defaults filled in, and writes no event", async () => {
        const { client, account } = await server().fixture();
        const before = (await server().store.listEvents({ accountId: account.id })).length;
        const defined = await defineType(client, account.id, "IP_ADDRESS", {
          ...IP_FIELDS,
          note: { type: "string", description: "Free text" },
          seen: { type: "boolean", required: false },
        });
        assert.match(defined.created_at, ISO_MS);
        assert.deepEqual(defined, {
          metadata_type: "IP_ADDRESS",
          description: null,
          fields: {
            ip_v4: { type: "string", required: true, description: null, format: "ipv4" },
            port: { type: "integer", required: false, description: null, format: null },
            note: { type: "string", required: false, description: "Free text", format: null },
            seen: { type: "boolean", required: false, description: null, format: null },
          },
          max_count: -1,
          metadata_type_owner: "ACCOUNT",
          created_at: defined.created_at,
        });
        assert.equal((await server().store.listEvents({ accountId: account.id })).length, before);
      });

      it("keeps description and max_count; names are case-sensitive", async () => {
        const { client, account } = await server().fixture();
        const upper = await defineType(client, account.id, "IP_ADDRESS", IP_FIELDS, {
          description: "Where the applicant signed up from",
          max_count: 1000,
        });
        assert.equal(upper.description, "Where the applicant signed up from");
        assert.equal(upper.max_count, 1000);
        const lower = await defineType(client, account.id, "ip_address", IP_FIELDS, { max_count: 1 });
        assert.equal(lower.max_count, 1);
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies on their field", async () => {
        const { client, account } = await server().fixture();
        const account_id = account.id;
        const base = { account_id, metadata_type: "T", fields: IP_FIELDS };
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ account_id, fields: IP_FIELDS }, [badRequest("metadata_type", "is required")]],
          [{ account_id, metadata_type: "T" }, [badRequest("fields", "is required")]],
          [
            { ...base, metadata_type: "1ABC" },
            [badRequest("metadata_type", 'must match pattern "^[A-Za-z][A-Za-z0-9_]{0,63}$"')],
          ],
          [
            { ...base, metadata_type: `A${"b".repeat(64)}` },
            [badRequest("metadata_type", 'must match pattern "^[A-Za-z][A-Za-z0-9_]{0,63}$"')],
          ],
          [{ ...base, fields: {} }, [badRequest("fields", "must NOT have fewer than 1 properties")]],
          [
            {
              ...base,
              fields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, { type: "string" }])),
            },
            [badRequest("fields", "must NOT have more than 50 properties")],
          ],
          [
            { ...base, fields: { a: { type: "number" } } },
            [badRequest("fields.a.type", "must be one of string, integer, boolean")],
          ],
          [{ ...base, fields: { a: {} } }, [badRequest("fields.a.type", "is required")]],
          [
            { ...base, fields: { a: { type: "string", size: 3 } } },
            [badRequest("fields.a.size", "is not a known field")],
          ],
          [
            { ...base, fields: { a: { type: "string", format: "url" } } },
            [badRequest("fields.a.format", "must be one of ipv4, ipv6, email, uri, date")],
          ],
          [
            { ...base, fields: { a: { type: "integer", format: "ipv4" } } },
            [badRequest("fields.a.format", "is allowed only on a field of type string")],
          ],
          [
            { ...base, fields: { a: { type: "string", required: "yes" } } },
            [badRequest("fields.a.required", "must be boolean")],
          ],
          [
            { ...base, fields: { a: { type: "string", description: " " } } },
            [
              badRequest(
                "fields.a.description",
                "must contain a character other than whitespace and no control characters",
              ),
            ],
          ],
          [
            { ...base, description: "x".repeat(501) },
            [badRequest("description", "must NOT have more than 500 characters")],
          ],
          [{ ...base, max_count: 0 }, [badRequest("max_count", "must be -1 (no limit) or 1 to 1000")]],
          [{ ...base, max_count: -2 }, [badRequest("max_count", "must be >= -1")]],
          [{ ...base, max_count: 1001 }, [badRequest("max_count", "must be <= 1000")]],
          [{ ...base, max_count: 1.5 }, [badRequest("max_count", "must be integer")]],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "metadata.type.define", body), 400, errors);
        }
        // Nothing was defined: the name is still free.
        await defineType(client, account.id, "T");
      });

      it("refuses a field name outside the name pattern", async () => {
        const { client, account } = await server().fixture();
        for (const name of ["1st", "a-b", `a${"b".repeat(64)}`, "_x"]) {
          expectErrors(
            await callUntyped(client, "metadata.type.define", {
              account_id: account.id,
              metadata_type: "T",
              fields: { ok: { type: "string" }, [name]: { type: "string" } },
            }),
            400,
            [
              badRequest(
                `fields.${name}`,
                "must be named by a letter, then up to 63 letters, digits or underscores",
              ),
            ],
          );
        }
        await defineType(client, account.id, "T", { [`a${"b".repeat(63)}`]: { type: "string" } });
      });

      it("answers ENTITY_NOT_FOUND for an unknown account", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("metadata.type.define", {
            account_id: "sb_163Gh1ONk6BCHF9iYVDHcv",
            metadata_type: "T",
            fields: IP_FIELDS,
          }),
          400,
          [notFound("Account", "account_id")],
        );
      });

      it("refuses a name the account already has, keeping the first definition", async () => {
        const { client, account } = await server().fixture();
        await defineType(client, account.id, "IP_ADDRESS", IP_FIELDS, { max_count: 3 });
        expectErrors(
          await client.call("metadata.type.define", {
            account_id: account.id,
            metadata_type: "IP_ADDRESS",
            fields: { other: { type: "boolean" } },
          }),
          400,
          [METADATA_ERRORS.duplicateType],
        );
        // Another account may use the name.
        const other = await server().fixture();
        await defineType(other.client, other.account.id, "IP_ADDRESS");
      });

      it("of 5 simultaneous defines of one name exactly one succeeds", async () => {
        const { client, account } = await server().fixture();
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            client.call("metadata.type.define", {
              account_id: account.id,
              metadata_type: "SAME",
              fields: { [`f${i}`]: { type: "string" } },
            }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [METADATA_ERRORS.duplicateType]);
      });

      it("allows 200 types per account: of 5 simultaneous defines at 198, exactly 2 succeed", async () => {
        const { client, account } = await server().fixture();
        for (let i = 0; i < 198; i += 1)
          await defineType(client, account.id, `T${i}`, { a: { type: "boolean" } });
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            client.call("metadata.type.define", {
              account_id: account.id,
              metadata_type: `RACE${i}`,
              fields: { a: { type: "boolean" } },
            }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 2);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [METADATA_ERRORS.maxTypes]);
        // The duplicate check comes first.
        expectErrors(
          await client.call("metadata.type.define", {
            account_id: account.id,
            metadata_type: "T0",
            fields: { a: { type: "boolean" } },
          }),
          400,
          [METADATA_ERRORS.duplicateType],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        expectErrors(
          await reader.call("metadata.type.define", {
            account_id: account.id,
            metadata_type: "T",
            fields: IP_FIELDS,
          }),
          403,
          [ERRORS.readOnly("metadata.type.define")],
        );
        await defineType(client, account.id, "T");
      });

      it("hides another organization's, an unlisted and a live account", async () => {
        for (const [i, { name, viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          const metadata_type = `T${i}`;
          expectErrors(
            await viewer.call("metadata.type.define", {
              account_id: accountId,
              metadata_type,
              fields: IP_FIELDS,
            }),
            400,
            [notFound("Account", "account_id")],
          );
          // The name stays free in the account.
          assert.equal(
            (
              await owner.call("metadata.type.define", {
                account_id: accountId,
                metadata_type,
                fields: IP_FIELDS,
              })
            ).ok,
            true,
            name,
          );
        }
      });
    });
  });
}
