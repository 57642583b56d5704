/**
 * business.updateOwner (data.md §2.3, §5.2): given fields replace, null unsets (ownership_type null
 * is OWNERSHIP_PRONG), person_id is not updatable; an empty wrapper changes nothing; the age rule,
 * the ownership total and the minimum judged on the resulting state, in order; the event; the
 * ENDED guard; who may update which owner.
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
import { addOwner, adultLimit, dayAfter, getOwner, newPerson, OWNER_ERRORS } from "../support/owners.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`business.updateOwner [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    /** A business with one owner (fields as given). */
    async function withOwner(fields: Record<string, unknown> = {}, dataSettings = {}, person = {}) {
      const fixture = await server().fixture({ credential: { name: "editor" }, dataSettings });
      const business = await newBusiness(fixture.client, fixture.account.id);
      const person_id = await newPerson(fixture.client, business.subject_record_id, person);
      const owner = await addOwner(fixture.client, business.business_id, { person_id, ...fields });
      return { ...fixture, business, owner };
    }

    const update = (
      client: Parameters<typeof getOwner>[0],
      business_owner_id: string,
      business_owner?: object,
    ) =>
      client.call("business.updateOwner", {
        business_owner_id,
        ...(business_owner ? { business_owner } : {}),
      } as never);

    describe("success", () => {
      it("replaces given fields, keeps the rest, moves updated_at and writes BUSINESS_OWNER_UPDATED", async () => {
        const { client, account, business, owner } = await withOwner({
          ownership_percentage: 10,
          business_person_position: "CFO",
        });
        server().clock.offsetMs += 1000;
        const change = {
          ownership_year_month: "2023-11",
          ownership_type: "CONTROL_PRONG",
          ownership_percentage: 45,
        };
        expectOk(await update(client, owner.business_owner_id, change));
        const after = await getOwner(client, owner.business_owner_id);
        assert.ok(after.updated_at > owner.updated_at);
        assert.deepEqual(after, { ...owner, ...change, updated_at: after.updated_at });
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assertEntityEvent(
          events[3],
          {
            event_type: "BUSINESS_OWNER_UPDATED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Business Owner",
            entity_id: owner.business_owner_id,
            linked_entity_ids: [business.business_id, owner.person_id],
            fields: ["ownership_percentage", "ownership_type", "ownership_year_month"],
          },
          "editor",
        );
      });

      it("unsets null fields; ownership_type null becomes OWNERSHIP_PRONG", async () => {
        const { client, owner } = await withOwner({
          ownership_type: "CONTROL_PRONG",
          ownership_percentage: 10,
          ownership_year_month: "2020-01",
          business_person_position: "CEO",
        });
        const nulls = {
          ownership_type: null,
          ownership_percentage: null,
          ownership_year_month: null,
          business_person_position: null,
        };
        expectOk(await update(client, owner.business_owner_id, nulls));
        const after = await getOwner(client, owner.business_owner_id);
        assert.deepEqual(after, {
          ...owner,
          ...nulls,
          ownership_type: "OWNERSHIP_PRONG",
          updated_at: after.updated_at,
        });
      });

      it("with an empty or absent wrapper changes nothing, keeps updated_at and writes no event", async () => {
        const { client, account, business, owner } = await withOwner();
        server().clock.offsetMs += 1000;
        for (const wrapper of [{}, undefined]) {
          expectOk(await update(client, owner.business_owner_id, wrapper));
          assert.deepEqual(await getOwner(client, owner.business_owner_id), owner);
        }
        // BUSINESS_CREATED, PERSON_CREATED, BUSINESS_OWNER_ADDED: nothing more.
        assert.equal((await entityEvents(server(), account.id, business.subject_record_id)).length, 3);
      });

      it("judges the total without the owner's own old percentage (60 → 100 alone is fine)", async () => {
        const { client, owner } = await withOwner({ ownership_percentage: 60 });
        expectOk(await update(client, owner.business_owner_id, { ownership_percentage: 100 }));
        assert.equal((await getOwner(client, owner.business_owner_id)).ownership_percentage, 100);
      });

      it("makes an owner born exactly 18 years ago control-prong", async () => {
        const { client, owner } = await withOwner({}, {}, { date_of_birth: adultLimit(server()) });
        expectOk(await update(client, owner.business_owner_id, { ownership_type: "CONTROL_PRONG" }));
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies and person_id (not updatable) with the field's path", async () => {
        const { client, owner } = await withOwner();
        const id = owner.business_owner_id;
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ business_owner: {} }, [badRequest("business_owner_id", "is required")]],
          [
            { business_owner_id: id, business_owner: { person_id: owner.person_id } },
            [badRequest("business_owner.person_id", "is not a known field")],
          ],
          [
            { business_owner_id: id, business_owner: { ownership_percentage: 45.5 } },
            [badRequest("business_owner.ownership_percentage", "must be integer,null")],
          ],
          [
            { business_owner_id: id, business_owner: { ownership_percentage: 101 } },
            [badRequest("business_owner.ownership_percentage", "must be <= 100")],
          ],
          [
            { business_owner_id: id, business_owner: { ownership_year_month: "2023-13" } },
            [
              badRequest(
                "business_owner.ownership_year_month",
                "must be a month YYYY-MM from 1900-01 to the current month",
              ),
            ],
          ],
          [
            { business_owner_id: "b_163Gh1ONk6BCHF9iYVDHcv" },
            [badRequest("business_owner_id", 'must match pattern "^(bo_)[0-9A-Za-z]{1,22}$"')],
          ],
        ];
        for (const [body, errors] of cases)
          expectErrors(await callUntyped(client, "business.updateOwner", body), 400, errors);
        assert.deepEqual(await getOwner(client, id), owner);
      });

      it("answers ENTITY_NOT_FOUND for an unknown owner association", async () => {
        const { client } = await server().fixture();
        expectErrors(await update(client, "bo_163Gh1ONk6BCHF9iYVDHcv", {}), 400, [
          notFound("Business Owner", "business_owner_id"),
        ]);
      });

      it("is refused once the record's business application has ENDED, even with an empty wrapper", async () => {
        const { client, account, business, owner } = await withOwner();
        await endApplication(server(), client, account.id, business.subject_record_id);
        for (const wrapper of [{ ownership_percentage: 5 }, {}])
          expectErrors(await update(client, owner.business_owner_id, wrapper), 400, [DATA_ERRORS.ended]);
        assert.deepEqual(await getOwner(client, owner.business_owner_id), owner);
      });

      it("refuses to make a person born (T − 18 y) + 1 day control-prong, before the total", async () => {
        const { client, business, owner } = await withOwner(
          { ownership_percentage: 10 },
          {},
          { date_of_birth: dayAfter(adultLimit(server())) },
        );
        const other = await newPerson(client, business.subject_record_id);
        await addOwner(client, business.business_id, { person_id: other, ownership_percentage: 90 });
        expectErrors(
          await update(client, owner.business_owner_id, {
            ownership_type: "CONTROL_PRONG",
            ownership_percentage: 11,
          }),
          400,
          [OWNER_ERRORS.age],
        );
        expectErrors(await update(client, owner.business_owner_id, { ownership_percentage: 11 }), 400, [
          OWNER_ERRORS.exceeded,
        ]);
        assert.deepEqual(await getOwner(client, owner.business_owner_id), owner);
      });

      it("refuses a total above 100 before the minimum percentage, judged on the resulting type", async () => {
        const { client, business, owner } = await withOwner(
          { ownership_type: "CONTROL_PRONG", ownership_percentage: 10 },
          { minimum_ownership_percentage: 20 },
        );
        const other = await newPerson(client, business.subject_record_id);
        await addOwner(client, business.business_id, { person_id: other, ownership_percentage: 90 });
        expectErrors(await update(client, owner.business_owner_id, { ownership_percentage: 11 }), 400, [
          OWNER_ERRORS.exceeded,
        ]);
        // Becoming OWNERSHIP_PRONG (null is OWNERSHIP_PRONG) at 10 falls below the minimum of 20.
        for (const ownership_type of ["OWNERSHIP_PRONG", null])
          expectErrors(await update(client, owner.business_owner_id, { ownership_type }), 400, [
            OWNER_ERRORS.minimum,
          ]);
        assert.deepEqual(await getOwner(client, owner.business_owner_id), owner);
      });

      it("of simultaneous raises that together exceed 100, only those that fit succeed", async () => {
        const { client, business, owner } = await withOwner({ ownership_percentage: 0 });
        const owners = [owner];
        for (let i = 0; i < 3; i++) {
          const person_id = await newPerson(client, business.subject_record_id);
          owners.push(await addOwner(client, business.business_id, { person_id, ownership_percentage: 0 }));
        }
        const results = await Promise.all(
          owners.map((o) => update(client, o.business_owner_id, { ownership_percentage: 40 })),
        );
        assert.equal(results.filter((r) => r.ok).length, 2);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [OWNER_ERRORS.exceeded]);
        const listed = expectOk(
          await client.call("business.listOwners", { business_id: business.business_id }),
        );
        assert.equal(
          listed.business_owners.reduce((sum, o) => sum + (o.ownership_percentage ?? 0), 0),
          80,
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED, changing nothing", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        const person_id = await newPerson(client, business.subject_record_id);
        const owner = await addOwner(client, business.business_id, { person_id });
        expectErrors(await update(reader, owner.business_owner_id, { ownership_percentage: 5 }), 403, [
          ERRORS.readOnly("business.updateOwner"),
        ]);
        assert.deepEqual(await getOwner(client, owner.business_owner_id), owner);
      });

      it("hides another organization's, an unlisted account's and a live account's owner association", async () => {
        for (const { name, viewer, owner: writer, accountId } of await outOfSight(server())) {
          const business = await newBusiness(writer, accountId);
          const person_id = await newPerson(writer, business.subject_record_id);
          const owner = await addOwner(writer, business.business_id, { person_id });
          expectErrors(await update(viewer, owner.business_owner_id, { ownership_percentage: 5 }), 400, [
            notFound("Business Owner", "business_owner_id"),
          ]);
          assert.deepEqual(await getOwner(writer, owner.business_owner_id), owner, name);
        }
      });
    });
  });
}
