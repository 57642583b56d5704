/**
 * person.issuedIdentifier.create: the identifier, its response and event; its type an enum token
 * (BAD_REQUEST) in the account's PERSON_ISSUED_IDENTIFIER_TYPES, extras included
 * (INVALID_ISSUED_IDENTIFIER_TYPE); one per type per person, also when raced; the ENDED guard
 * and the check order; who may create.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import {
  createIssuedIdentifier,
  createPerson,
  getIssuedIdentifier,
  PERSON_ERRORS,
} from "../support/persons.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const ID = /^pii_[0-9A-Za-z]{21,22}$/;
const NUMBER_PROBLEM =
  "must be printable characters with no control characters and no leading or trailing whitespace";

for (const kind of databaseKinds()) {
  describe(`person.issuedIdentifier.create [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("creates the identifier, answers it as get does, and writes ISSUED_IDENTIFIER_CREATED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        const created = expectOk(
          await client.call("person.issuedIdentifier.create", {
            person_id: person.person_id,
            issued_identifier: { type: "PASSPORT", issued_number: "X 123-456" },
          }),
        ).issued_identifier;
        assert.match(created.issued_identifier_id, ID);
        assert.match(created.created_at, ISO_MS);
        assert.deepEqual(created, {
          issued_identifier_id: created.issued_identifier_id,
          person_id: person.person_id,
          type: "PASSPORT",
          issued_number: "X 123-456",
          created_at: created.created_at,
          updated_at: created.created_at,
        });
        assert.deepEqual(await getIssuedIdentifier(client, created.issued_identifier_id), created);
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.equal(events.length, 2);
        assertEntityEvent(
          events[1],
          {
            event_type: "ISSUED_IDENTIFIER_CREATED",
            account_id: account.id,
            subject_record_id,
            entity_type: "Issued Identifier",
            entity_id: created.issued_identifier_id,
          },
          "ops key",
        );
      });

      it("takes every built-in type and the account's own; the same type on two persons", async () => {
        const { client, account } = await server().fixture({
          dataSettings: { issued_identifier_types: ["NATIONAL_ID"] },
        });
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        for (const type of ["MEDICAL_LICENSE", "DRIVERS_LICENSE", "PASSPORT", "STATE_ID", "NATIONAL_ID"])
          await createIssuedIdentifier(client, person.person_id, type);
        const other = await createPerson(client, subject_record_id);
        await createIssuedIdentifier(client, other.person_id, "PASSPORT");
        // 50 printable characters, any script.
        await createIssuedIdentifier(client, other.person_id, "STATE_ID", "é".repeat(50));
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies with the field's path, writing nothing", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const { person_id } = await createPerson(client, subject_record_id);
        const ok = { type: "PASSPORT", issued_number: "X1" };
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ person_id }, [badRequest("issued_identifier", "is required")]],
          [{ issued_identifier: ok }, [badRequest("person_id", "is required")]],
          [
            { person_id, issued_identifier: { type: "PASSPORT" } },
            [badRequest("issued_identifier.issued_number", "is required")],
          ],
          [
            { person_id, issued_identifier: { issued_number: "X1" } },
            [badRequest("issued_identifier.type", "is required")],
          ],
          [
            { person_id, issued_identifier: { ...ok, type: "passport" } },
            [
              badRequest(
                "issued_identifier.type",
                "must be an upper-case token: a letter, then up to 49 letters, digits or underscores",
              ),
            ],
          ],
          [
            { person_id, issued_identifier: { ...ok, type: null } },
            [badRequest("issued_identifier.type", "must be string")],
          ],
          [
            { person_id, issued_identifier: { ...ok, issued_number: "" } },
            [badRequest("issued_identifier.issued_number", "must NOT have fewer than 1 characters")],
          ],
          [
            { person_id, issued_identifier: { ...ok, issued_number: "x".repeat(51) } },
            [badRequest("issued_identifier.issued_number", "must NOT have more than 50 characters")],
          ],
          ...[" X1", "X1 ", "X\u00001", "X\t1", "X\u00851"].map(
            (issued_number): [unknown, ReturnType<typeof badRequest>[]] => [
              { person_id, issued_identifier: { ...ok, issued_number } },
              [badRequest("issued_identifier.issued_number", NUMBER_PROBLEM)],
            ],
          ),
          [
            { person_id, issued_identifier: { ...ok, expires: "2030-01-01" } },
            [badRequest("issued_identifier.expires", "is not a known field")],
          ],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "person.issuedIdentifier.create", body), 400, errors);
        }
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 1);
      });

      it("answers ENTITY_NOT_FOUND for an unknown person, before INVALID_ISSUED_IDENTIFIER_TYPE", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("person.issuedIdentifier.create", {
            person_id: "p_163Gh1ONk6BCHF9iYVDHcv",
            issued_identifier: { type: "NATIONAL_ID", issued_number: "X1" },
          }),
          400,
          [notFound("Person", "person_id")],
        );
      });

      it("refuses a type outside the account's set, also one the account no longer has, before DUPLICATED", async () => {
        const { client, account } = await server().fixture();
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        const body = (type: string) => ({
          person_id: person.person_id,
          issued_identifier: { type, issued_number: "X1" },
        });
        expectErrors(await client.call("person.issuedIdentifier.create", body("NATIONAL_ID")), 400, [
          PERSON_ERRORS.invalidIdentifierType,
        ]);
        await server().operator.updateAccount(account.id, {
          dataSettings: { issued_identifier_types: ["NATIONAL_ID"] },
        });
        await createIssuedIdentifier(client, person.person_id, "NATIONAL_ID");
        await server().operator.updateAccount(account.id, {
          dataSettings: { issued_identifier_types: ["TAX_CARD"] },
        });
        // Stored data stays; new writes can no longer use the removed value (INVALID comes before DUPLICATED).
        expectErrors(await client.call("person.issuedIdentifier.create", body("NATIONAL_ID")), 400, [
          PERSON_ERRORS.invalidIdentifierType,
        ]);
      });

      it("allows one identifier per type per person: of 8 simultaneous creates exactly one succeeds", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            client.call("person.issuedIdentifier.create", {
              person_id: person.person_id,
              issued_identifier: { type: "PASSPORT", issued_number: `P${i}` },
            }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [PERSON_ERRORS.duplicatedIdentifier]);
        expectErrors(
          await client.call("person.issuedIdentifier.create", {
            person_id: person.person_id,
            issued_identifier: { type: "PASSPORT", issued_number: "again" },
          }),
          400,
          [PERSON_ERRORS.duplicatedIdentifier],
        );
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 2);
      });

      it("refuses a person whose record's business application has ENDED, before the type rules", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        await endApplication(server(), client, account.id, subject_record_id);
        for (const type of ["PASSPORT", "NATIONAL_ID"]) {
          expectErrors(
            await client.call("person.issuedIdentifier.create", {
              person_id: person.person_id,
              issued_identifier: { type, issued_number: "X1" },
            }),
            400,
            [DATA_ERRORS.ended],
          );
        }
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        expectErrors(
          await reader.call("person.issuedIdentifier.create", {
            person_id: person.person_id,
            issued_identifier: { type: "PASSPORT", issued_number: "X1" },
          }),
          403,
          [ERRORS.readOnly("person.issuedIdentifier.create")],
        );
      });

      it("hides another organization's, an unlisted account's and a live account's person", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          const person = await createPerson(owner, subject_record_id);
          expectErrors(
            await viewer.call("person.issuedIdentifier.create", {
              person_id: person.person_id,
              issued_identifier: { type: "PASSPORT", issued_number: "X1" },
            }),
            400,
            [notFound("Person", "person_id")],
          );
          assert.equal((await entityEvents(server(), accountId, subject_record_id)).length, 1, name);
        }
      });
    });
  });
}
