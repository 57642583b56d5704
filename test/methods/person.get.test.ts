/**
 * person.get: the person, tax_id masked unless asked otherwise, an unmasked read audited; bad and
 * unknown IDs; who may see which person, and who may unmask.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { databaseKinds } from "../support/databases.js";
import { audits, createPerson, FULL_PERSON, getPerson } from "../support/persons.js";
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
  describe(`person.get [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("masks tax_id unless show_sensitive_data is true", async () => {
        const { client, account } = await server().fixture();
        const person = await createPerson(client, await createSubjectRecord(client, account.id), FULL_PERSON);
        assert.equal(person.tax_id, "*****6789");
        assert.deepEqual(await getPerson(client, person.person_id), person);
        assert.deepEqual(await getPerson(client, person.person_id, { show_sensitive_data: false }), person);
        assert.deepEqual(await getPerson(client, person.person_id, { show_sensitive_data: true }), {
          ...person,
          tax_id: "123456789",
        });
      });

      it("audits an unmasked read that reveals a tax_id, and only such a read", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id, { tax_id: "123456789" });
        await getPerson(client, person.person_id);
        await getPerson(client, person.person_id, { show_sensitive_data: false });
        assert.deepEqual(await audits(server(), account.id), []);
        await getPerson(client, person.person_id, { show_sensitive_data: true });
        assert.deepEqual(await audits(server(), account.id), [
          {
            method: "person.get",
            entities: [{ entity_type: "Person", entity_id: person.person_id, fields: ["tax_id"] }],
          },
        ]);
        const bare = await createPerson(client, subject_record_id, { first_name: "Bo" });
        await getPerson(client, bare.person_id, { show_sensitive_data: true });
        assert.equal((await audits(server(), account.id)).length, 1);
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown person and BAD_REQUEST for a malformed ID or flag", async () => {
        const { client, account } = await server().fixture();
        expectErrors(await client.call("person.get", { person_id: "p_163Gh1ONk6BCHF9iYVDHcv" }), 400, [
          notFound("Person", "person_id"),
        ]);
        expectErrors(await client.call("person.get", { person_id: "b_163Gh1ONk6BCHF9iYVDHcv" }), 400, [
          badRequest("person_id", 'must match pattern "^(p_)[0-9A-Za-z]{1,22}$"'),
        ]);
        const { person_id } = await createPerson(client, await createSubjectRecord(client, account.id));
        expectErrors(
          await callUntyped(client, "person.get", { person_id, show_sensitive_data: "true" }),
          400,
          [badRequest("show_sensitive_data", "must be boolean")],
        );
        expectErrors(await callUntyped(client, "person.get", { person_id, verbose: true }), 400, [
          badRequest("verbose", "is not a known field"),
        ]);
      });
    });

    describe("authorization", () => {
      it("a read-only credential reads", async () => {
        const { client, account, reader } = await withReader(server());
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        assert.deepEqual(expectOk(await reader.call("person.get", { person_id: person.person_id })), {
          person,
        });
      });

      it("refuses show_sensitive_data: true from a read-only or --no-unmask credential, before the lookup", async () => {
        const { client, account, reader, masked } = await withMaskedCredentials(server());
        const person = await createPerson(client, await createSubjectRecord(client, account.id), {
          tax_id: "123456789",
        });
        for (const viewer of [reader, masked]) {
          for (const person_id of [person.person_id, "p_163Gh1ONk6BCHF9iYVDHcv"]) {
            expectErrors(await viewer.call("person.get", { person_id, show_sensitive_data: true }), 403, [
              UNMASK_DENIED,
            ]);
          }
          assert.deepEqual(
            expectOk(
              await viewer.call("person.get", { person_id: person.person_id, show_sensitive_data: false }),
            ).person,
            person,
          );
        }
        assert.deepEqual(await audits(server(), account.id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's person", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const person = await createPerson(owner, await createSubjectRecord(owner, accountId));
          expectErrors(await viewer.call("person.get", { person_id: person.person_id }), 400, [
            notFound("Person", "person_id"),
          ]);
          assert.deepEqual(await getPerson(owner, person.person_id), person, name);
        }
      });
    });
  });
}
