/**
 * person.list: a subject record's persons oldest first with cursor pagination, masked unless
 * asked, an unmasked page audited; bad cursors, unknown records; who may list and unmask.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { audits, createPerson } from "../support/persons.js";
import { UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  createSubjectRecord,
  expectErrors,
  expectOk,
  notFound,
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`person.list [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("lists oldest first in pages, masked; [] for a record without persons", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        assert.deepEqual(expectOk(await client.call("person.list", { subject_record_id })), {
          persons: [],
          has_more: false,
          next_cursor: null,
        });
        const created = [];
        for (let i = 0; i < 5; i += 1)
          created.push(
            await createPerson(client, subject_record_id, { first_name: `P${i}`, tax_id: "123456789" }),
          );
        await createPerson(client, await createSubjectRecord(client, account.id));
        const all = expectOk(await client.call("person.list", { subject_record_id }));
        assert.deepEqual(all, { persons: created, has_more: false, next_cursor: null });
        const seen = [];
        let cursor: string | undefined;
        for (;;) {
          const page = expectOk(
            await client.call("person.list", { subject_record_id, limit: 2, ...(cursor ? { cursor } : {}) }),
          );
          seen.push(...page.persons);
          if (!page.has_more) {
            assert.equal(page.next_cursor, null);
            break;
          }
          cursor = page.next_cursor ?? undefined;
        }
        assert.deepEqual(seen, created);
      });

      it("unmasks with show_sensitive_data: true and audits the persons revealed", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const a = await createPerson(client, subject_record_id, { tax_id: "123456789" });
        await createPerson(client, subject_record_id);
        const c = await createPerson(client, subject_record_id, { tax_id: "987654321" });
        const page = expectOk(
          await client.call("person.list", { subject_record_id, show_sensitive_data: true }),
        );
        assert.deepEqual(
          page.persons.map((p) => p.tax_id),
          ["123456789", null, "987654321"],
        );
        assert.deepEqual(await audits(server(), account.id), [
          {
            method: "person.list",
            entities: [
              { entity_type: "Person", entity_id: a.person_id, fields: ["tax_id"] },
              { entity_type: "Person", entity_id: c.person_id, fields: ["tax_id"] },
            ],
          },
        ]);
      });
    });

    describe("errors", () => {
      it("answers BAD_REQUEST for a malformed ID, limit, flag or a foreign cursor, and ENTITY_NOT_FOUND for an unknown record", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const other = await createSubjectRecord(client, account.id);
        for (let i = 0; i < 2; i += 1) await createPerson(client, other);
        const foreign = expectOk(
          await client.call("person.list", { subject_record_id: other, limit: 1 }),
        ).next_cursor;
        assert.ok(foreign);
        expectErrors(await client.call("person.list", { subject_record_id, cursor: foreign }), 400, [
          badRequest("cursor", "is not a cursor this server issued"),
        ]);
        expectErrors(await callUntyped(client, "person.list", { subject_record_id, limit: 0 }), 400, [
          badRequest("limit", "must be >= 1"),
        ]);
        expectErrors(
          await callUntyped(client, "person.list", { subject_record_id, show_sensitive_data: 1 }),
          400,
          [badRequest("show_sensitive_data", "must be boolean")],
        );
        expectErrors(
          await client.call("person.list", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential lists, and may not unmask (before the lookup); nor may a --no-unmask one", async () => {
        const { client, account, reader, masked } = await withMaskedCredentials(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id, { tax_id: "123456789" });
        for (const viewer of [reader, masked]) {
          assert.deepEqual(expectOk(await viewer.call("person.list", { subject_record_id })).persons, [
            person,
          ]);
          for (const id of [subject_record_id, "sr_163Gh1ONk6BCHF9iYVDHcv"]) {
            expectErrors(
              await viewer.call("person.list", { subject_record_id: id, show_sensitive_data: true }),
              403,
              [UNMASK_DENIED],
            );
          }
        }
        assert.deepEqual(await audits(server(), account.id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's record", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          await createPerson(owner, subject_record_id);
          expectErrors(await viewer.call("person.list", { subject_record_id }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.equal(
            expectOk(await owner.call("person.list", { subject_record_id })).persons.length,
            1,
            name,
          );
        }
      });
    });
  });
}
