/**
 * person.delete: the person and its issued identifiers go, PERSON_DELETED; ENTITY_LINKED while
 * the person owns a business; not idempotent; the ENDED guard before ENTITY_LINKED; who may delete.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../../src/domain/ids.js";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { createPerson, getPerson, insertOwner, PERSON_ERRORS } from "../support/persons.js";
import type { TestServer } from "../support/server.js";
import { useTestServer } from "../support/server.js";
import { executeSql, queryRows } from "../support/sql.js";
import { createSubjectRecord, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

async function identifierCount(server: TestServer, personId: string): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(
    server.database,
    "select count(*) as n from person_issued_identifier where person_id = $1",
    [personId],
  );
  return Number(rows[0]?.n);
}

for (const kind of databaseKinds()) {
  describe(`person.delete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("deletes the person and its issued identifiers, writing PERSON_DELETED only", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id, { first_name: "Ann" });
        const keep = await createPerson(client, subject_record_id);
        const at = new Date().toISOString();
        await executeSql(
          server().database,
          ["PASSPORT", "STATE_ID"].map((type) => [
            `insert into person_issued_identifier (id, person_id, type, issued_number, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6)`,
            [newId("issuedIdentifier"), person.person_id, type, "X1", at, at],
          ]),
        );
        assert.equal(await identifierCount(server(), person.person_id), 2);
        assert.deepEqual(expectOk(await client.call("person.delete", { person_id: person.person_id })), {});
        expectErrors(await client.call("person.get", { person_id: person.person_id }), 400, [
          notFound("Person", "person_id"),
        ]);
        assert.equal(await identifierCount(server(), person.person_id), 0);
        assert.deepEqual(await getPerson(client, keep.person_id), keep);
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.equal(events.length, 3);
        assertEntityEvent(
          events[2],
          {
            event_type: "PERSON_DELETED",
            account_id: account.id,
            subject_record_id,
            entity_type: "Person",
            entity_id: person.person_id,
          },
          "ops key",
        );
        // Deletes are not idempotent.
        expectErrors(await client.call("person.delete", { person_id: person.person_id }), 400, [
          notFound("Person", "person_id"),
        ]);
      });
    });

    describe("errors", () => {
      it("refuses with ENTITY_LINKED while the person owns a business, of either prong; the ENDED guard comes first", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const person = await createPerson(client, business.subject_record_id);
        const ownerId = await insertOwner(
          server(),
          business.business_id,
          person.person_id,
          "OWNERSHIP_PRONG",
        );
        expectErrors(await client.call("person.delete", { person_id: person.person_id }), 400, [
          PERSON_ERRORS.personLinked,
        ]);
        assert.deepEqual(await getPerson(client, person.person_id), person);
        await executeSql(server().database, [["delete from business_owner where id = $1", [ownerId]]]);
        await insertOwner(server(), business.business_id, person.person_id, "CONTROL_PRONG");
        expectErrors(await client.call("person.delete", { person_id: person.person_id }), 400, [
          PERSON_ERRORS.personLinked,
        ]);
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(await client.call("person.delete", { person_id: person.person_id }), 400, [
          DATA_ERRORS.ended,
        ]);
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 2);
      });

      it("answers BAD_REQUEST for a malformed ID and ENTITY_NOT_FOUND for an unknown one", async () => {
        const { client } = await server().fixture();
        expectErrors(await client.call("person.delete", { person_id: "p_163Gh1ONk6BCHF9iYVDHcv" }), 400, [
          notFound("Person", "person_id"),
        ]);
        const refused = await client.call("person.delete", { person_id: "pii_163Gh1ONk6BCHF9iYVDHcv" });
        assert.equal(refused.ok, false);
        assert.equal(refused.ok ? "" : refused.errors[0]?.field, "person_id");
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, deleting nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        expectErrors(await reader.call("person.delete", { person_id: person.person_id }), 403, [
          ERRORS.readOnly("person.delete"),
        ]);
        assert.deepEqual(await getPerson(client, person.person_id), person);
      });

      it("hides another organization's, an unlisted account's and a live account's person", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const person = await createPerson(owner, await createSubjectRecord(owner, accountId));
          expectErrors(await viewer.call("person.delete", { person_id: person.person_id }), 400, [
            notFound("Person", "person_id"),
          ]);
          assert.deepEqual(await getPerson(owner, person.person_id), person, name);
        }
      });
    });
  });
}
