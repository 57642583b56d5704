/**
 * person.update: §2.3 semantics (given replaces, null unsets, absent unchanged, empty wrapper
 * writes nothing), PERSON_UPDATED with its fields; the age rule of control-prong owners (data.md
 * §5.2) at its boundary; the ENDED guard and the check order; who may update which person.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import {
  createPerson,
  FULL_PERSON,
  getPerson,
  insertOwner,
  PERSON_ERRORS,
  yearsBefore,
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

const DAY_MS = 86_400_000;
const nextDay = (date: string) => new Date(Date.parse(date) + DAY_MS).toISOString().slice(0, 10);

for (const kind of databaseKinds()) {
  describe(`person.update [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("replaces given fields, unsets null ones, keeps the others, and writes PERSON_UPDATED with the fields", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id, FULL_PERSON);
        const before = await getPerson(client, person.person_id);
        assert.deepEqual(
          expectOk(
            await client.call("person.update", {
              person_id: person.person_id,
              person: {
                last_name: "Park",
                tax_id: null,
                addresses: [{ address_type: "MAILING", city: "Austin" }],
                middle_name: null,
              },
            }),
          ),
          {},
        );
        const after = await getPerson(client, person.person_id);
        assert.deepEqual(after, {
          ...before,
          last_name: "Park",
          middle_name: null,
          tax_id: null,
          addresses: [
            {
              address_type: "MAILING",
              line1: null,
              line2: null,
              city: "Austin",
              state: null,
              postal_code: null,
              country: null,
            },
          ],
          updated_at: after.updated_at,
        });
        assert.ok(after.updated_at >= before.updated_at);
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.equal(events.length, 2);
        assertEntityEvent(
          events[1],
          {
            event_type: "PERSON_UPDATED",
            account_id: account.id,
            subject_record_id,
            entity_type: "Person",
            entity_id: person.person_id,
            fields: ["addresses", "last_name", "middle_name", "tax_id"],
          },
          "ops key",
        );
        // null and [] both empty the addresses.
        expectOk(
          await client.call("person.update", { person_id: person.person_id, person: { addresses: null } }),
        );
        assert.deepEqual((await getPerson(client, person.person_id)).addresses, []);
      });

      it("an absent or empty wrapper succeeds and changes nothing: no event, updated_at kept", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id, { first_name: "Ann" });
        for (const body of [{ person_id: person.person_id }, { person_id: person.person_id, person: {} }]) {
          assert.deepEqual(expectOk(await client.call("person.update", body)), {});
        }
        assert.deepEqual(await getPerson(client, person.person_id), person);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 1);
      });

      it("two simultaneous updates of different fields both land", async () => {
        const { client, account } = await server().fixture();
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        const results = await Promise.all([
          client.call("person.update", { person_id: person.person_id, person: { first_name: "Ann" } }),
          client.call("person.update", { person_id: person.person_id, person: { last_name: "Lee" } }),
        ]);
        for (const r of results) expectOk(r);
        const after = await getPerson(client, person.person_id);
        assert.deepEqual([after.first_name, after.last_name], ["Ann", "Lee"]);
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies with the field's path, writing nothing", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const { person_id } = await createPerson(client, subject_record_id);
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{}, [badRequest("person_id", "is required")]],
          [
            { person_id: "b_163Gh1ONk6BCHF9iYVDHcv" },
            [badRequest("person_id", 'must match pattern "^(p_)[0-9A-Za-z]{1,22}$"')],
          ],
          [
            { person_id, person: { subject_record_id } },
            [badRequest("person.subject_record_id", "is not a known field")],
          ],
          [
            { person_id, person: { phone_number: "1025550143" } },
            [
              badRequest(
                "person.phone_number",
                "must be a 10-digit US phone number (NANP area code and exchange), digits only",
              ),
            ],
          ],
          [
            { person_id, person: { citizenship: "UK" } },
            [
              badRequest(
                "person.citizenship",
                "must be an ISO 3166-1 alpha-2 country code in upper case, such as US or GB",
              ),
            ],
          ],
          [
            { person_id, person: { date_of_birth: "2001-02-29" } },
            [
              badRequest(
                "person.date_of_birth",
                "must be a real date YYYY-MM-DD, not after today and not more than 130 years before it",
              ),
            ],
          ],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "person.update", body), 400, errors);
        }
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 1);
      });

      it("answers ENTITY_NOT_FOUND for an unknown person, after the body checks", async () => {
        const { client } = await server().fixture();
        const person_id = "p_163Gh1ONk6BCHF9iYVDHcv";
        expectErrors(await client.call("person.update", { person_id, person: { first_name: "A" } }), 400, [
          notFound("Person", "person_id"),
        ]);
        expectErrors(
          await callUntyped(client, "person.update", { person_id, person: { tax_id: "1" } }),
          400,
          [badRequest("person.tax_id", "must be 9 digits with no dashes")],
        );
      });

      it("refuses a date of birth that makes a control-prong owner under 18; T − 18 y, null and other people pass", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const subject_record_id = business.subject_record_id;
        const control = await createPerson(client, subject_record_id, { date_of_birth: "1980-01-01" });
        const ownership = await createPerson(client, subject_record_id);
        const nobody = await createPerson(client, subject_record_id);
        await insertOwner(server(), business.business_id, control.person_id, "CONTROL_PRONG");
        await insertOwner(server(), business.business_id, ownership.person_id, "OWNERSHIP_PRONG");
        const now = Date.now();
        server().clock.pinnedMs = now;
        try {
          const limit = yearsBefore(new Date(now).toISOString().slice(0, 10), 18);
          const minor = nextDay(limit);
          expectErrors(
            await client.call("person.update", {
              person_id: control.person_id,
              person: { date_of_birth: minor, first_name: "Kid" },
            }),
            400,
            [PERSON_ERRORS.controlProngAge],
          );
          assert.deepEqual(await getPerson(client, control.person_id), control);
          for (const { person_id } of [ownership, nobody]) {
            expectOk(await client.call("person.update", { person_id, person: { date_of_birth: minor } }));
          }
          expectOk(
            await client.call("person.update", {
              person_id: control.person_id,
              person: { date_of_birth: limit },
            }),
          );
          expectOk(
            await client.call("person.update", {
              person_id: control.person_id,
              person: { date_of_birth: null },
            }),
          );
          assert.equal((await getPerson(client, control.person_id)).date_of_birth, null);
          // The ENDED guard (step 6) comes before the age rule (step 9).
          await endApplication(server(), client, account.id, subject_record_id);
          expectErrors(
            await client.call("person.update", {
              person_id: control.person_id,
              person: { date_of_birth: minor },
            }),
            400,
            [DATA_ERRORS.ended],
          );
        } finally {
          server().clock.pinnedMs = undefined;
        }
      });

      it("refuses a person whose record's business application has ENDED, even with an empty wrapper", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        await endApplication(server(), client, account.id, subject_record_id);
        for (const body of [
          { person_id: person.person_id },
          { person_id: person.person_id, person: { first_name: "A" } },
        ]) {
          expectErrors(await client.call("person.update", body), 400, [DATA_ERRORS.ended]);
        }
        assert.deepEqual(await getPerson(client, person.person_id), person);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const person = await createPerson(client, await createSubjectRecord(client, account.id));
        expectErrors(
          await reader.call("person.update", { person_id: person.person_id, person: { first_name: "A" } }),
          403,
          [ERRORS.readOnly("person.update")],
        );
        assert.deepEqual(await getPerson(client, person.person_id), person);
      });

      it("hides another organization's, an unlisted account's and a live account's person", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const person = await createPerson(owner, await createSubjectRecord(owner, accountId));
          expectErrors(
            await viewer.call("person.update", { person_id: person.person_id, person: { first_name: "A" } }),
            400,
            [notFound("Person", "person_id")],
          );
          assert.deepEqual(await getPerson(owner, person.person_id), person, name);
        }
      });
    });
  });
}
