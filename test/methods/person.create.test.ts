/**
 * person.create: the person of a subject record, its response and event; the field formats of
 * data.md §15; the person limit (100 per BUSINESS record, 1 per PERSON record, also when raced);
 * the ENDED guard and the check order; who may create where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import {
  createPerson,
  expectedPerson,
  FULL_PERSON,
  getPerson,
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
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const PERSON_ID = /^p_[0-9A-Za-z]{21,22}$/;
const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

for (const kind of databaseKinds()) {
  describe(`person.create [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    describe("success", () => {
      it("creates a person with every field unset, and answers it as person.get does", async () => {
        const { client, account } = await server().fixture({ credential: { name: "ops key" } });
        const subject_record_id = await createSubjectRecord(client, account.id);
        const created = expectOk(await client.call("person.create", { subject_record_id })).person;
        assert.match(created.person_id, PERSON_ID);
        assert.match(created.created_at, ISO_MS);
        assert.deepEqual(
          created,
          expectedPerson(
            { person_id: created.person_id, subject_record_id },
            {},
            { created_at: created.created_at, updated_at: created.created_at },
          ),
        );
        assert.deepEqual(await getPerson(client, created.person_id), created);
        const events = await entityEvents(server(), account.id, subject_record_id);
        assert.equal(events.length, 1);
        assertEntityEvent(
          events[0],
          {
            event_type: "PERSON_CREATED",
            account_id: account.id,
            subject_record_id,
            entity_type: "Person",
            entity_id: created.person_id,
          },
          "ops key",
        );
      });

      it("stores every field given, masks tax_id in the answer, and takes null as not set", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const created = await createPerson(client, subject_record_id, { ...FULL_PERSON, middle_name: null });
        const { middle_name: _, ...given } = FULL_PERSON;
        assert.deepEqual(
          created,
          expectedPerson({ person_id: created.person_id, subject_record_id }, given, created),
        );
        assert.equal(created.tax_id, "*****6789");
        assert.equal(
          (await getPerson(client, created.person_id, { show_sensitive_data: true })).tax_id,
          "123456789",
        );
      });

      it("fills the keys an address left out with null, and allows a MAILING address beside a RESIDENTIAL one", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const created = await createPerson(client, subject_record_id, {
          addresses: [
            { address_type: "MAILING", line1: "PO Box 12", city: "Austin" },
            { address_type: "RESIDENTIAL", postal_code: "SW1A 1AA", country: "GB" },
          ],
        });
        const empty = { line1: null, line2: null, city: null, state: null, postal_code: null, country: null };
        assert.deepEqual(created.addresses, [
          { address_type: "MAILING", ...empty, line1: "PO Box 12", city: "Austin" },
          { address_type: "RESIDENTIAL", ...empty, postal_code: "SW1A 1AA", country: "GB" },
        ]);
      });

      it("accepts the values of data.md §15 and refuses the others, on their field", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id, "BUSINESS");
        const cases: [string, unknown[], [unknown, string][]][] = [
          [
            "phone_number",
            ["2025550143"],
            [
              "1025550143",
              "2021550143",
              "9115550143",
              "2024110143",
              "2925550143",
              "202555014",
              "(202)5550143",
            ].map((v) => [
              v,
              "must be a 10-digit US phone number (NANP area code and exchange), digits only",
            ]),
          ],
          [
            "tax_id",
            ["123456789"],
            ["12-3456789", "12345678", "1234567890", "12345678a"].map((v) => [
              v,
              "must be 9 digits with no dashes",
            ]),
          ],
          [
            "citizenship",
            ["US", "GB"],
            ["UK", "us", "XX"].map((v) => [
              v,
              "must be an ISO 3166-1 alpha-2 country code in upper case, such as US or GB",
            ]),
          ],
        ];
        // The server's today stands still (signatures need its clock near the real one).
        const now = Date.now();
        server().clock.pinnedMs = now;
        try {
          const today = utcDay(now);
          const oldest = yearsBefore(today, 130);
          const dob = "must be a real date YYYY-MM-DD, not after today and not more than 130 years before it";
          cases.push([
            "date_of_birth",
            [today, oldest],
            [utcDay(now + DAY_MS), utcDay(Date.parse(oldest) - DAY_MS), "2001-02-29", "2001-2-3"].map((v) => [
              v,
              dob,
            ]),
          ]);
          for (const [field, accepted, refused] of cases) {
            for (const value of accepted) {
              const person = await createPerson(client, subject_record_id, { [field]: value });
              assert.equal(person[field as keyof typeof person], field === "tax_id" ? "*****6789" : value);
            }
            for (const [value, problem] of refused) {
              expectErrors(
                await callUntyped(client, "person.create", { subject_record_id, person: { [field]: value } }),
                400,
                [badRequest(`person.${field}`, problem)],
              );
            }
          }
        } finally {
          server().clock.pinnedMs = undefined;
        }
        // Postal codes, judged by the address's own country.
        for (const address of [
          { postal_code: "94105" },
          { postal_code: "94105-1234", country: "US" },
          { postal_code: "SW1A 1AA", country: "GB" },
        ]) {
          await createPerson(client, subject_record_id, {
            addresses: [{ address_type: "RESIDENTIAL", ...address }],
          });
        }
        for (const postal_code of ["9410", "941051234"]) {
          expectErrors(
            await callUntyped(client, "person.create", {
              subject_record_id,
              person: { addresses: [{ address_type: "RESIDENTIAL", postal_code, country: "US" }] },
            }),
            400,
            [
              badRequest(
                "person.addresses[0].postal_code",
                "must be a US ZIP code, NNNNN or NNNNN-NNNN, when country is US or absent",
              ),
            ],
          );
        }
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies with the field's path, writing nothing", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{}, [badRequest("subject_record_id", "is required")]],
          [
            { subject_record_id: "p_163Gh1ONk6BCHF9iYVDHcv" },
            [badRequest("subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"')],
          ],
          [
            { subject_record_id, person: { nickname: "x" } },
            [badRequest("person.nickname", "is not a known field")],
          ],
          [{ subject_record_id, person: null }, [badRequest("person", "must be object")]],
          [
            { subject_record_id, person: { first_name: "" } },
            [badRequest("person.first_name", "must NOT have fewer than 1 characters")],
          ],
          [
            { subject_record_id, person: { last_name: "x".repeat(101) } },
            [badRequest("person.last_name", "must NOT have more than 100 characters")],
          ],
          [
            { subject_record_id, person: { addresses: [{ address_type: "LEGAL" }] } },
            [badRequest("person.addresses[0].address_type", "must be one of RESIDENTIAL, MAILING")],
          ],
          [
            {
              subject_record_id,
              person: { addresses: [{ address_type: "MAILING" }, { address_type: "MAILING" }] },
            },
            [badRequest("person.addresses[1].address_type", "repeats the address type of item 0")],
          ],
          [
            { subject_record_id, show_sensitive_data: true },
            [badRequest("show_sensitive_data", "is not a known field")],
          ],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "person.create", body), 400, errors);
        }
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
      });

      it("answers ENTITY_NOT_FOUND for an unknown subject record", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("person.create", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
      });

      it("allows one person on a PERSON record", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id, "PERSON");
        const first = await createPerson(client, subject_record_id);
        expectErrors(await client.call("person.create", { subject_record_id }), 400, [
          PERSON_ERRORS.maxPerson,
        ]);
        assert.deepEqual(await getPerson(client, first.person_id), first);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 1);
      });

      it("of 6 simultaneous creates on an empty PERSON record exactly one succeeds", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id, "PERSON");
        const results = await Promise.all(
          Array.from({ length: 6 }, () => client.call("person.create", { subject_record_id })),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [PERSON_ERRORS.maxPerson]);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 1);
      });

      it("allows 100 persons on a BUSINESS record: of 6 simultaneous creates at 97, exactly 3 succeed; then the ENDED guard comes first", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        for (let i = 0; i < 97; i += 1) await createPerson(client, subject_record_id);
        const results = await Promise.all(
          Array.from({ length: 6 }, () => client.call("person.create", { subject_record_id })),
        );
        assert.equal(results.filter((r) => r.ok).length, 3);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [PERSON_ERRORS.maxPerson]);
        expectErrors(await client.call("person.create", { subject_record_id }), 400, [
          PERSON_ERRORS.maxPerson,
        ]);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, 100);
        // The guard (step 6) before the limit (step 9).
        await endApplication(server(), client, account.id, subject_record_id);
        expectErrors(await client.call("person.create", { subject_record_id }), 400, [DATA_ERRORS.ended]);
      });

      it("refuses a record whose business application has ENDED, after the body checks", async () => {
        const { client, account } = await server().fixture();
        const subject_record_id = await createSubjectRecord(client, account.id);
        await endApplication(server(), client, account.id, subject_record_id);
        expectErrors(await client.call("person.create", { subject_record_id }), 400, [DATA_ERRORS.ended]);
        expectErrors(
          await callUntyped(client, "person.create", { subject_record_id, person: { tax_id: "1" } }),
          400,
          [badRequest("person.tax_id", "must be 9 digits with no dashes")],
        );
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, writing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        expectErrors(await reader.call("person.create", { subject_record_id }), 403, [
          ERRORS.readOnly("person.create"),
        ]);
        assert.deepEqual(await entityEvents(server(), account.id, subject_record_id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's record, even an ENDED one", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          expectErrors(await viewer.call("person.create", { subject_record_id }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          await endApplication(server(), owner, accountId, subject_record_id);
          expectErrors(await viewer.call("person.create", { subject_record_id }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.deepEqual(await entityEvents(server(), accountId, subject_record_id), [], name);
        }
      });
    });
  });
}
