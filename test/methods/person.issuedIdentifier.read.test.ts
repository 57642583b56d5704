/**
 * person.issuedIdentifier.get and …list: the identifier as created, the person's identifiers
 * oldest first in pages; bad IDs and cursors, unknown IDs; who may read which.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { createIssuedIdentifier, createPerson } from "../support/persons.js";
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
  describe(`person.issuedIdentifier.get and list [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("get answers the identifier; list answers the person's, oldest first, in pages", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        const other = await createPerson(client, subject_record_id);
        assert.deepEqual(
          expectOk(await client.call("person.issuedIdentifier.list", { person_id: person.person_id })),
          {
            issued_identifiers: [],
            has_more: false,
            next_cursor: null,
          },
        );
        const created = [];
        for (const type of ["PASSPORT", "STATE_ID", "DRIVERS_LICENSE"])
          created.push(await createIssuedIdentifier(client, person.person_id, type, `${type}-1`));
        await createIssuedIdentifier(client, other.person_id, "PASSPORT");
        for (const identifier of created) {
          assert.deepEqual(
            expectOk(
              await client.call("person.issuedIdentifier.get", {
                issued_identifier_id: identifier.issued_identifier_id,
              }),
            ).issued_identifier,
            identifier,
          );
        }
        assert.deepEqual(
          expectOk(await client.call("person.issuedIdentifier.list", { person_id: person.person_id }))
            .issued_identifiers,
          created,
        );
        const first = expectOk(
          await client.call("person.issuedIdentifier.list", { person_id: person.person_id, limit: 2 }),
        );
        assert.deepEqual(first.issued_identifiers, created.slice(0, 2));
        assert.equal(first.has_more, true);
        const second = expectOk(
          await client.call("person.issuedIdentifier.list", {
            person_id: person.person_id,
            limit: 2,
            cursor: first.next_cursor ?? "",
          }),
        );
        assert.deepEqual(second, {
          issued_identifiers: created.slice(2),
          has_more: false,
          next_cursor: null,
        });
      });
    });

    describe("errors", () => {
      it("answers BAD_REQUEST for malformed IDs, flags and foreign cursors, ENTITY_NOT_FOUND for unknown IDs", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        const other = await createPerson(client, subject_record_id);
        for (const type of ["PASSPORT", "STATE_ID"])
          await createIssuedIdentifier(client, other.person_id, type);
        const foreign = expectOk(
          await client.call("person.issuedIdentifier.list", { person_id: other.person_id, limit: 1 }),
        ).next_cursor;
        assert.ok(foreign);
        expectErrors(
          await client.call("person.issuedIdentifier.list", { person_id: person.person_id, cursor: foreign }),
          400,
          [badRequest("cursor", "is not a cursor this server issued")],
        );
        expectErrors(
          await client.call("person.issuedIdentifier.list", { person_id: "p_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Person", "person_id")],
        );
        expectErrors(
          await client.call("person.issuedIdentifier.get", {
            issued_identifier_id: "pii_163Gh1ONk6BCHF9iYVDHcv",
          }),
          400,
          [notFound("Issued Identifier", "issued_identifier_id")],
        );
        expectErrors(
          await client.call("person.issuedIdentifier.get", {
            issued_identifier_id: "p_163Gh1ONk6BCHF9iYVDHcv",
          }),
          400,
          [badRequest("issued_identifier_id", 'must match pattern "^(pii_)[0-9A-Za-z]{1,22}$"')],
        );
        // Issued numbers are not sensitive: neither read takes the flag.
        const { issued_identifier_id } = await createIssuedIdentifier(client, person.person_id, "PASSPORT");
        expectErrors(
          await callUntyped(client, "person.issuedIdentifier.get", {
            issued_identifier_id,
            show_sensitive_data: true,
          }),
          400,
          [badRequest("show_sensitive_data", "is not a known field")],
        );
        expectErrors(
          await callUntyped(client, "person.issuedIdentifier.list", {
            person_id: person.person_id,
            show_sensitive_data: false,
          }),
          400,
          [badRequest("show_sensitive_data", "is not a known field")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only credential reads both", async () => {
        const { client, account, reader } = await withReader(server());
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        const identifier = await createIssuedIdentifier(client, person.person_id, "PASSPORT");
        assert.deepEqual(
          expectOk(
            await reader.call("person.issuedIdentifier.get", {
              issued_identifier_id: identifier.issued_identifier_id,
            }),
          ).issued_identifier,
          identifier,
        );
        assert.deepEqual(
          expectOk(await reader.call("person.issuedIdentifier.list", { person_id: person.person_id }))
            .issued_identifiers,
          [identifier],
        );
      });

      it("hides another organization's, an unlisted account's and a live account's identifiers", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const person = await createPerson(owner, await createSubjectRecord(owner, accountId));
          const identifier = await createIssuedIdentifier(owner, person.person_id, "PASSPORT");
          expectErrors(
            await viewer.call("person.issuedIdentifier.get", {
              issued_identifier_id: identifier.issued_identifier_id,
            }),
            400,
            [notFound("Issued Identifier", "issued_identifier_id")],
          );
          expectErrors(
            await viewer.call("person.issuedIdentifier.list", { person_id: person.person_id }),
            400,
            [notFound("Person", "person_id")],
          );
          assert.ok(name);
        }
      });
    });
  });
}
