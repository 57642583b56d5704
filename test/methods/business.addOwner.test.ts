/**
 * business.addOwner (data.md §5.2): the association, its default ownership type, response and
 * event; the §15 values of ownership percentage, year-month and the control-prong age; the
 * ownership total, the account's owner limit and minimum; the check order where two errors meet;
 * races on the total, on one person and on the limit; who may link what.
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
  addOwner,
  addOwnerCall,
  adultLimit,
  dayAfter,
  getOwner,
  newPerson,
  OWNER_ERRORS,
  ownerCount,
  today,
} from "../support/owners.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  callUntyped,
  ERRORS,
  expectErrors,
  expectOk,
  ISO_MS,
  notFound,
} from "../support/workflows.js";

const OWNER_ID = /^bo_[0-9A-Za-z]{21,22}$/;

for (const kind of databaseKinds()) {
  describe(`business.addOwner [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    /** A business and a person of its subject record. */
    async function businessWithPerson(dataSettings = {}, person = {}) {
      const fixture = await server().fixture({ credential: { name: "linker" }, dataSettings });
      const business = await newBusiness(fixture.client, fixture.account.id);
      const personId = await newPerson(fixture.client, business.subject_record_id, person);
      return { ...fixture, business, personId };
    }

    describe("success", () => {
      it("links the person with OWNERSHIP_PRONG by default, answers the association and writes its event", async () => {
        const { client, account, business, personId } = await businessWithPerson();
        const owner = await addOwner(client, business.business_id, { person_id: personId });
        assert.match(owner.business_owner_id, OWNER_ID);
        assert.match(owner.created_at, ISO_MS);
        assert.deepEqual(owner, {
          business_owner_id: owner.business_owner_id,
          business_id: business.business_id,
          person_id: personId,
          ownership_type: "OWNERSHIP_PRONG",
          ownership_percentage: null,
          ownership_year_month: null,
          business_person_position: null,
          created_at: owner.created_at,
          updated_at: owner.created_at,
        });
        assert.deepEqual(await getOwner(client, owner.business_owner_id), owner);
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.deepEqual(
          events.map((e) => e.event_type),
          ["BUSINESS_CREATED", "PERSON_CREATED", "BUSINESS_OWNER_ADDED"],
        );
        assertEntityEvent(
          events[2],
          {
            event_type: "BUSINESS_OWNER_ADDED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Business Owner",
            entity_id: owner.business_owner_id,
            linked_entity_ids: [business.business_id, personId],
          },
          "linker",
        );
      });

      it("stores every field given; null means unset, ownership_type null the default", async () => {
        const { client, business, personId } = await businessWithPerson();
        const full = {
          person_id: personId,
          ownership_type: "CONTROL_PRONG",
          ownership_percentage: 45,
          ownership_year_month: "2023-11",
          business_person_position: "CEO",
        };
        const owner = await addOwner(client, business.business_id, full);
        const { person_id: _, ...fields } = full;
        for (const [key, value] of Object.entries(fields))
          assert.equal(owner[key as keyof typeof owner], value);
        const other = await newPerson(client, business.subject_record_id);
        const nulls = await addOwner(client, business.business_id, {
          person_id: other,
          ownership_type: null,
          ownership_percentage: null,
          ownership_year_month: null,
          business_person_position: null,
        });
        assert.equal(nulls.ownership_type, "OWNERSHIP_PRONG");
        assert.equal(nulls.ownership_percentage, null);
      });

      it("accepts the percentages 0, 45 and 100 and the months 1900-01, 2023-11 and the current one", async () => {
        const { client, account, business } = await businessWithPerson();
        const month = today(server()).slice(0, 7);
        const cases = [
          { ownership_percentage: 0, ownership_year_month: "1900-01" },
          { ownership_percentage: 45, ownership_year_month: "2023-11" },
          { ownership_percentage: 100, ownership_year_month: month },
        ];
        for (const fields of cases) {
          // Each on a business of its own, so that the total stays within 100.
          const other = await newBusiness(client, account.id);
          const person_id = await newPerson(client, other.subject_record_id);
          const owner = await addOwner(client, other.business_id, { person_id, ...fields });
          assert.equal(owner.ownership_percentage, fields.ownership_percentage);
          assert.equal(owner.ownership_year_month, fields.ownership_year_month);
        }
        assert.equal(await ownerCount(client, business.business_id), 0);
      });

      it("accepts a control-prong owner born exactly 18 years ago, or without a date of birth", async () => {
        const { client, business } = await businessWithPerson();
        for (const date_of_birth of [adultLimit(server()), null]) {
          const person_id = await newPerson(client, business.subject_record_id, { date_of_birth });
          expectOk(
            await addOwnerCall(client, business.business_id, { person_id, ownership_type: "CONTROL_PRONG" }),
          );
        }
      });

      it("lets a minor own through the ownership prong: the age rule is the control prong's", async () => {
        const { client, business } = await businessWithPerson();
        const person_id = await newPerson(client, business.subject_record_id, {
          date_of_birth: dayAfter(adultLimit(server())),
        });
        expectOk(
          await addOwnerCall(client, business.business_id, { person_id, ownership_type: "OWNERSHIP_PRONG" }),
        );
      });

      it("accepts owners at 60 and 40 (the total may reach 100)", async () => {
        const { client, business, personId } = await businessWithPerson();
        await addOwner(client, business.business_id, { person_id: personId, ownership_percentage: 60 });
        const second = await newPerson(client, business.subject_record_id);
        await addOwner(client, business.business_id, { person_id: second, ownership_percentage: 40 });
        assert.equal(await ownerCount(client, business.business_id), 2);
      });
    });

    describe("errors", () => {
      it("refuses the malformed values of §15 with the field's path, before looking anything up", async () => {
        const { client, account, business, personId } = await businessWithPerson();
        const unknownBusiness = "b_163Gh1ONk6BCHF9iYVDHcv";
        const month = today(server());
        const next = new Date(`${month.slice(0, 7)}-01T00:00:00.000Z`);
        next.setUTCMonth(next.getUTCMonth() + 1);
        const nextMonth = next.toISOString().slice(0, 7);
        const yearMonth = "must be a month YYYY-MM from 1900-01 to the current month";
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ business_id: business.business_id }, [badRequest("business_owner", "is required")]],
          [
            { business_id: business.business_id, business_owner: {} },
            [badRequest("business_owner.person_id", "is required")],
          ],
          [
            {
              business_id: unknownBusiness,
              business_owner: { person_id: personId, ownership_percentage: -1 },
            },
            [badRequest("business_owner.ownership_percentage", "must be >= 0")],
          ],
          [
            {
              business_id: unknownBusiness,
              business_owner: { person_id: personId, ownership_percentage: 101 },
            },
            [badRequest("business_owner.ownership_percentage", "must be <= 100")],
          ],
          [
            {
              business_id: unknownBusiness,
              business_owner: { person_id: personId, ownership_percentage: 45.5 },
            },
            [badRequest("business_owner.ownership_percentage", "must be integer,null")],
          ],
          [
            {
              business_id: unknownBusiness,
              business_owner: { person_id: personId, ownership_percentage: "45" },
            },
            [badRequest("business_owner.ownership_percentage", "must be integer,null")],
          ],
          ...["1899-12", "2023-13", "2023-1", nextMonth].map(
            (ownership_year_month): [unknown, ReturnType<typeof badRequest>[]] => [
              {
                business_id: business.business_id,
                business_owner: { person_id: personId, ownership_year_month },
              },
              [badRequest("business_owner.ownership_year_month", yearMonth)],
            ],
          ),
          [
            {
              business_id: business.business_id,
              business_owner: { person_id: personId, ownership_type: "BOTH" },
            },
            [badRequest("business_owner.ownership_type", "must be one of CONTROL_PRONG, OWNERSHIP_PRONG")],
          ],
          [
            { business_id: business.business_id, business_owner: { person_id: "b_163Gh1ONk6BCHF9iYVDHcv" } },
            [badRequest("business_owner.person_id", 'must match pattern "^(p_)[0-9A-Za-z]{1,22}$"')],
          ],
          [
            {
              business_id: business.business_id,
              business_owner: { person_id: personId, business_owner_id: "bo_1" },
            },
            [badRequest("business_owner.business_owner_id", "is not a known field")],
          ],
        ];
        for (const [body, errors] of cases)
          expectErrors(await callUntyped(client, "business.addOwner", body), 400, errors);
        assert.equal(await ownerCount(client, business.business_id), 0);
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 2);
      });

      it("answers ENTITY_NOT_FOUND on business_id first, then on business_owner.person_id", async () => {
        const { client, business, personId } = await businessWithPerson();
        const unknownPerson = "p_163Gh1ONk6BCHF9iYVDHcv";
        expectErrors(
          await addOwnerCall(client, "b_163Gh1ONk6BCHF9iYVDHcv", { person_id: unknownPerson }),
          400,
          [notFound("Business", "business_id")],
        );
        expectErrors(await addOwnerCall(client, business.business_id, { person_id: unknownPerson }), 400, [
          notFound("Person", "business_owner.person_id"),
        ]);
        expectOk(await addOwnerCall(client, business.business_id, { person_id: personId }));
      });

      it("refuses a person of another subject record (also of another visible account) after the ENDED guard", async () => {
        const { client, account, organization, business } = await businessWithPerson();
        const otherRecord = await newBusiness(client, account.id);
        const stranger = await newPerson(client, otherRecord.subject_record_id);
        expectErrors(await addOwnerCall(client, business.business_id, { person_id: stranger }), 400, [
          OWNER_ERRORS.crossRecord,
        ]);
        const otherAccount = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const elsewhere = await newBusiness(client, otherAccount.id);
        const foreign = await newPerson(client, elsewhere.subject_record_id);
        expectErrors(await addOwnerCall(client, business.business_id, { person_id: foreign }), 400, [
          OWNER_ERRORS.crossRecord,
        ]);
        // ENDED (step 6) comes before the cross-record check (step 7).
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(await addOwnerCall(client, business.business_id, { person_id: stranger }), 400, [
          DATA_ERRORS.ended,
        ]);
        assert.equal(await ownerCount(client, business.business_id), 0);
      });

      it("is refused once the record's business application has ENDED", async () => {
        const { client, account, business, personId } = await businessWithPerson();
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(await addOwnerCall(client, business.business_id, { person_id: personId }), 400, [
          DATA_ERRORS.ended,
        ]);
        assert.equal(await ownerCount(client, business.business_id), 0);
      });

      it("refuses the same person twice, before the age rule", async () => {
        const { client, business } = await businessWithPerson();
        const minor = await newPerson(client, business.subject_record_id, {
          date_of_birth: dayAfter(adultLimit(server())),
        });
        await addOwner(client, business.business_id, { person_id: minor });
        for (const ownership_type of ["OWNERSHIP_PRONG", "CONTROL_PRONG"])
          expectErrors(
            await addOwnerCall(client, business.business_id, { person_id: minor, ownership_type }),
            400,
            [OWNER_ERRORS.duplicate],
          );
      });

      it("refuses a control-prong owner born (T − 18 y) + 1 day, before the ownership total", async () => {
        const { client, business, personId } = await businessWithPerson();
        await addOwner(client, business.business_id, { person_id: personId, ownership_percentage: 100 });
        const minor = await newPerson(client, business.subject_record_id, {
          date_of_birth: dayAfter(adultLimit(server())),
        });
        const body = { person_id: minor, ownership_type: "CONTROL_PRONG", ownership_percentage: 1 };
        expectErrors(await addOwnerCall(client, business.business_id, body), 400, [OWNER_ERRORS.age]);
        expectErrors(
          await addOwnerCall(client, business.business_id, { ...body, ownership_type: "OWNERSHIP_PRONG" }),
          400,
          [OWNER_ERRORS.exceeded],
        );
        assert.equal(await ownerCount(client, business.business_id), 1);
      });

      it("refuses a third owner at 1 after owners at 60 and 40, before the owner limit", async () => {
        const { client, business, personId } = await businessWithPerson({ max_owners_per_business: 2 });
        await addOwner(client, business.business_id, { person_id: personId, ownership_percentage: 60 });
        const second = await newPerson(client, business.subject_record_id);
        await addOwner(client, business.business_id, { person_id: second, ownership_percentage: 40 });
        const third = await newPerson(client, business.subject_record_id);
        expectErrors(
          await addOwnerCall(client, business.business_id, { person_id: third, ownership_percentage: 1 }),
          400,
          [OWNER_ERRORS.exceeded],
        );
        // Unset counts as 0: within the total, so the limit answers.
        expectErrors(await addOwnerCall(client, business.business_id, { person_id: third }), 400, [
          OWNER_ERRORS.maxOwners,
        ]);
        assert.equal(await ownerCount(client, business.business_id), 2);
      });

      it("refuses an owner beyond max_owners_per_business, before the minimum percentage", async () => {
        const { client, business, personId } = await businessWithPerson({
          max_owners_per_business: 1,
          minimum_ownership_percentage: 25,
        });
        await addOwner(client, business.business_id, { person_id: personId, ownership_percentage: 25 });
        const second = await newPerson(client, business.subject_record_id);
        expectErrors(
          await addOwnerCall(client, business.business_id, { person_id: second, ownership_percentage: 5 }),
          400,
          [OWNER_ERRORS.maxOwners],
        );
      });

      it("refuses an OWNERSHIP_PRONG owner below minimum_ownership_percentage (unset counts as 0); the control prong is exempt", async () => {
        const { client, business } = await businessWithPerson({ minimum_ownership_percentage: 25 });
        const person = () => newPerson(client, business.subject_record_id);
        for (const fields of [{ ownership_percentage: 24 }, {}, { ownership_percentage: null }])
          expectErrors(
            await addOwnerCall(client, business.business_id, { person_id: await person(), ...fields }),
            400,
            [OWNER_ERRORS.minimum],
          );
        await addOwner(client, business.business_id, { person_id: await person(), ownership_percentage: 25 });
        await addOwner(client, business.business_id, {
          person_id: await person(),
          ownership_type: "CONTROL_PRONG",
        });
        assert.equal(await ownerCount(client, business.business_id), 2);
      });

      it("of simultaneous adds whose percentages exceed 100 together, only those that fit succeed", async () => {
        const { client, account, business } = await businessWithPerson();
        const persons = await Promise.all(
          Array.from({ length: 6 }, () => newPerson(client, business.subject_record_id)),
        );
        const results = await Promise.all(
          persons.map((person_id) =>
            addOwnerCall(client, business.business_id, { person_id, ownership_percentage: 30 }),
          ),
        );
        const winners = results.filter((r) => r.ok);
        assert.equal(winners.length, 3);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [OWNER_ERRORS.exceeded]);
        const listed = expectOk(
          await client.call("business.listOwners", { business_id: business.business_id }),
        );
        assert.equal(
          listed.business_owners.reduce((sum, o) => sum + (o.ownership_percentage ?? 0), 0),
          90,
        );
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assert.equal(events.filter((e) => e.event_type === "BUSINESS_OWNER_ADDED").length, 3);
      });

      it("of two simultaneous adds at 60 % on one business exactly one wins, several times over", async () => {
        for (let round = 0; round < 5; round++) {
          const { client, business } = await businessWithPerson();
          const [first, second] = await Promise.all([
            newPerson(client, business.subject_record_id),
            newPerson(client, business.subject_record_id),
          ]);
          const results = await Promise.all(
            [first, second].map((person_id) =>
              addOwnerCall(client, business.business_id, { person_id, ownership_percentage: 60 }),
            ),
          );
          assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
          for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [OWNER_ERRORS.exceeded]);
          const listed = expectOk(
            await client.call("business.listOwners", { business_id: business.business_id }),
          );
          assert.deepEqual(
            listed.business_owners.map((o) => o.ownership_percentage),
            [60],
          );
        }
      });

      it("of simultaneous adds of one person exactly one succeeds, the others DUPLICATE_OWNER_ASSOCIATION", async () => {
        const { client, business, personId } = await businessWithPerson();
        const results = await Promise.all(
          Array.from({ length: 6 }, () =>
            addOwnerCall(client, business.business_id, { person_id: personId }),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [OWNER_ERRORS.duplicate]);
        assert.equal(await ownerCount(client, business.business_id), 1);
      });

      it("of simultaneous adds past max_owners_per_business exactly the limit succeed", async () => {
        const { client, business } = await businessWithPerson({ max_owners_per_business: 3 });
        const persons = await Promise.all(
          Array.from({ length: 7 }, () => newPerson(client, business.subject_record_id)),
        );
        const results = await Promise.all(
          persons.map((person_id) => addOwnerCall(client, business.business_id, { person_id })),
        );
        assert.equal(results.filter((r) => r.ok).length, 3);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [OWNER_ERRORS.maxOwners]);
        assert.equal(await ownerCount(client, business.business_id), 3);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, linking nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        const person_id = await newPerson(client, business.subject_record_id);
        expectErrors(await addOwnerCall(reader, business.business_id, { person_id }), 403, [
          ERRORS.readOnly("business.addOwner"),
        ]);
        assert.equal(await ownerCount(client, business.business_id), 0);
      });

      it("hides another organization's, an unlisted account's and a live account's business and person", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          const person_id = await newPerson(owner, business.subject_record_id);
          expectErrors(await addOwnerCall(viewer, business.business_id, { person_id }), 400, [
            notFound("Business", "business_id"),
          ]);
          assert.equal(await ownerCount(owner, business.business_id), 0, name);
        }
        // The business in sight, the person out of it: ENTITY_NOT_FOUND on the person.
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const hidden = await server().fixture();
        const theirs = await newBusiness(hidden.client, hidden.account.id);
        const person_id = await newPerson(hidden.client, theirs.subject_record_id);
        expectErrors(await addOwnerCall(client, business.business_id, { person_id }), 400, [
          notFound("Person", "business_owner.person_id"),
        ]);
      });
    });
  });
}
