/**
 * person.issuedIdentifier.update: type and number replaced (neither may be unset), the event with
 * its fields, an empty wrapper writing nothing; INVALID_ISSUED_IDENTIFIER_TYPE, then
 * DUPLICATED_ISSUED_IDENTIFIER against the person's other identifiers (also when raced); the
 * ENDED guard; who may update.
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
  notFound,
} from "../support/workflows.js";

const UNKNOWN = "pii_163Gh1ONk6BCHF9iYVDHcv";

for (const kind of databaseKinds()) {
  describe(`person.issuedIdentifier.update [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("replaces the type and number given, writing ISSUED_IDENTIFIER_UPDATED with the fields", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        const identifier = await createIssuedIdentifier(client, person.person_id, "PASSPORT", "X1");
        const issued_identifier_id = identifier.issued_identifier_id;
        assert.deepEqual(
          expectOk(
            await client.call("person.issuedIdentifier.update", {
              issued_identifier_id,
              issued_identifier: { type: "STATE_ID", issued_number: "S-9" },
            }),
          ),
          {},
        );
        const after = await getIssuedIdentifier(client, issued_identifier_id);
        assert.deepEqual(after, {
          ...identifier,
          type: "STATE_ID",
          issued_number: "S-9",
          updated_at: after.updated_at,
        });
        // Its own type again is no duplicate.
        expectOk(
          await client.call("person.issuedIdentifier.update", {
            issued_identifier_id,
            issued_identifier: { type: "STATE_ID" },
          }),
        );
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.equal(events.length, 4);
        assertEntityEvent(
          events[2],
          {
            event_type: "ISSUED_IDENTIFIER_UPDATED",
            account_id: account.id,
            subject_record_id,
            entity_type: "Issued Identifier",
            entity_id: issued_identifier_id,
            fields: ["issued_number", "type"],
          },
          "ops key",
        );
        assert.deepEqual(events[3]?.payload.fields, ["type"]);
      });

      it("an absent or empty wrapper changes nothing and writes no event", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        const identifier = await createIssuedIdentifier(client, person.person_id, "PASSPORT");
        const id = identifier.issued_identifier_id;
        expectOk(await client.call("person.issuedIdentifier.update", { issued_identifier_id: id }));
        expectOk(
          await client.call("person.issuedIdentifier.update", {
            issued_identifier_id: id,
            issued_identifier: {},
          }),
        );
        assert.deepEqual(await getIssuedIdentifier(client, id), identifier);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 2);
      });
    });

    describe("errors", () => {
      it("refuses null, unknown fields and malformed values, writing nothing", async () => {
        const { client, account } = await server().fixture();
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        const { issued_identifier_id } = await createIssuedIdentifier(client, person.person_id, "PASSPORT");
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [
            { issued_identifier_id, issued_identifier: { type: null } },
            [badRequest("issued_identifier.type", "must be string")],
          ],
          [
            { issued_identifier_id, issued_identifier: { issued_number: null } },
            [badRequest("issued_identifier.issued_number", "must be string")],
          ],
          [
            { issued_identifier_id, issued_identifier: { person_id: person.person_id } },
            [badRequest("issued_identifier.person_id", "is not a known field")],
          ],
          [
            { issued_identifier_id, issued_identifier: { type: "state id" } },
            [
              badRequest(
                "issued_identifier.type",
                "must be an upper-case token: a letter, then up to 49 letters, digits or underscores",
              ),
            ],
          ],
          [
            { issued_identifier_id: "p_163Gh1ONk6BCHF9iYVDHcv" },
            [badRequest("issued_identifier_id", 'must match pattern "^(pii_)[0-9A-Za-z]{1,22}$"')],
          ],
        ];
        for (const [body, errors] of cases)
          expectErrors(await callUntyped(client, "person.issuedIdentifier.update", body), 400, errors);
        expectErrors(
          await client.call("person.issuedIdentifier.update", {
            issued_identifier_id: UNKNOWN,
            issued_identifier: { type: "NATIONAL_ID" },
          }),
          400,
          [notFound("Issued Identifier", "issued_identifier_id")],
        );
      });

      it("refuses a type outside the account's set, then a type another identifier of the person has", async () => {
        const { client, account } = await server().fixture();
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        const passport = await createIssuedIdentifier(client, person.person_id, "PASSPORT");
        await createIssuedIdentifier(client, person.person_id, "STATE_ID");
        const update = (type: string) =>
          client.call("person.issuedIdentifier.update", {
            issued_identifier_id: passport.issued_identifier_id,
            issued_identifier: { type },
          });
        expectErrors(await update("NATIONAL_ID"), 400, [PERSON_ERRORS.invalidIdentifierType]);
        expectErrors(await update("STATE_ID"), 400, [PERSON_ERRORS.duplicatedIdentifier]);
        assert.deepEqual(await getIssuedIdentifier(client, passport.issued_identifier_id), passport);
      });

      it("of simultaneous updates of two identifiers to one type, exactly one succeeds", async () => {
        const { client, account } = await server().fixture();
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        const ids = [];
        for (const type of ["PASSPORT", "STATE_ID", "MEDICAL_LICENSE"])
          ids.push((await createIssuedIdentifier(client, person.person_id, type)).issued_identifier_id);
        const results = await Promise.all(
          ids.map((issued_identifier_id) =>
            client.call("person.issuedIdentifier.update", {
              issued_identifier_id,
              issued_identifier: { type: "DRIVERS_LICENSE" },
            }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [PERSON_ERRORS.duplicatedIdentifier]);
      });

      it("refuses an identifier whose record's business application has ENDED, before the type rules", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        const { issued_identifier_id } = await createIssuedIdentifier(client, person.person_id, "PASSPORT");
        await endApplication(server(), client, account.id, subject_record_id);
        for (const issued_identifier of [{}, { type: "NATIONAL_ID" }, { issued_number: "Z" }]) {
          expectErrors(
            await client.call("person.issuedIdentifier.update", { issued_identifier_id, issued_identifier }),
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
        const identifier = await createIssuedIdentifier(client, person.person_id, "PASSPORT");
        expectErrors(
          await reader.call("person.issuedIdentifier.update", {
            issued_identifier_id: identifier.issued_identifier_id,
            issued_identifier: { issued_number: "Z" },
          }),
          403,
          [ERRORS.readOnly("person.issuedIdentifier.update")],
        );
        assert.deepEqual(await getIssuedIdentifier(client, identifier.issued_identifier_id), identifier);
      });

      it("hides another organization's, an unlisted account's and a live account's identifier", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const person = await createPerson(owner, await createSubjectRecord(owner, accountId));
          const identifier = await createIssuedIdentifier(owner, person.person_id, "PASSPORT");
          expectErrors(
            await viewer.call("person.issuedIdentifier.update", {
              issued_identifier_id: identifier.issued_identifier_id,
              issued_identifier: { issued_number: "Z" },
            }),
            400,
            [notFound("Issued Identifier", "issued_identifier_id")],
          );
          assert.deepEqual(
            await getIssuedIdentifier(owner, identifier.issued_identifier_id),
            identifier,
            name,
          );
        }
      });
    });
  });
}
