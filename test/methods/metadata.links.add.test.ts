/**
 * metadata.links.add and metadata.get: links in request order, skipped repeats, METADATA_LINKED
 * with the IDs newly linked (none when nothing is new), updated_at; the check order (entry, then
 * entity_ids in order, ENDED, cross-record); links dropped silently when the entity is deleted;
 * who may link and read.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { createBankAccount } from "../support/bank-accounts.js";
import {
  assertEntityEvent,
  createBusiness,
  DATA_ERRORS,
  endApplication,
  entityEvents,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { createLocation } from "../support/locations.js";
import { createMetadata, defineType, getMetadata, METADATA_ERRORS } from "../support/metadata.js";
import { createPerson } from "../support/persons.js";
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

const UNKNOWN = "163Gh1ONk6BCHF9iYVDHcv";

for (const kind of databaseKinds()) {
  describe(`metadata.links.add [${kind}]`, () => {
    const server = useTestServer(kind, { poolSize: 10 });

    /** A record with a business, a person and a bank account, and an entry of type T. */
    async function setUp(credentialName?: string) {
      const fixture = await server().fixture(credentialName ? { credential: { name: credentialName } } : {});
      const { client, account } = fixture;
      const subject_record_id = await createSubjectRecord(client, account.id);
      const business = await createBusiness(client, subject_record_id);
      const person = await createPerson(client, subject_record_id);
      const bankAccount = await createBankAccount(client, subject_record_id);
      await defineType(client, account.id, "T");
      const entry = await createMetadata(client, subject_record_id, "T");
      return {
        ...fixture,
        subject_record_id,
        entry,
        ids: { b: business.business_id, p: person.person_id, ba: bankAccount.bank_account_id },
      };
    }

    const link = (client: Parameters<typeof getMetadata>[0], metadata_id: string, entity_ids: string[]) =>
      client.call("metadata.links.add", { metadata_id, entity_ids });

    describe("success", () => {
      it("links in request order, skips repeats, and writes METADATA_LINKED with the IDs newly linked", async () => {
        const { client, account, subject_record_id, entry, ids } = await setUp("ops key");
        server().clock.offsetMs = 5;
        try {
          assert.deepEqual(expectOk(await link(client, entry.metadata_id, [ids.p, ids.b, ids.p])), {});
        } finally {
          server().clock.offsetMs = 0;
        }
        const first = await getMetadata(client, entry.metadata_id);
        assert.deepEqual(first.linked_entity_ids, [ids.p, ids.b]);
        assert.ok(first.updated_at > entry.updated_at, "updated_at moves");
        assert.equal(first.created_at, entry.created_at);
        expectOk(await link(client, entry.metadata_id, [ids.b, ids.ba, ids.p]));
        const second = await getMetadata(client, entry.metadata_id);
        assert.deepEqual(second.linked_entity_ids, [ids.p, ids.b, ids.ba]);
        const events = (await entityEvents(server(), account.id, subject_record_id)).filter(
          (e) => e.event_type === "METADATA_LINKED",
        );
        assert.equal(events.length, 2);
        const expected = {
          event_type: "METADATA_LINKED" as const,
          account_id: account.id,
          subject_record_id,
        };
        const subject = { entity_type: "Metadata" as const, entity_id: entry.metadata_id };
        assertEntityEvent(
          events[0],
          { ...expected, ...subject, linked_entity_ids: [ids.p, ids.b] },
          "ops key",
        );
        assertEntityEvent(events[1], { ...expected, ...subject, linked_entity_ids: [ids.ba] }, "ops key");
      });

      it("with every ID already linked changes nothing: no event, updated_at kept", async () => {
        const { client, account, subject_record_id, entry, ids } = await setUp();
        expectOk(await link(client, entry.metadata_id, [ids.p]));
        const linked = await getMetadata(client, entry.metadata_id);
        const before = (await entityEvents(server(), account.id, subject_record_id)).length;
        server().clock.offsetMs = 5;
        try {
          expectOk(await link(client, entry.metadata_id, [ids.p, ids.p]));
        } finally {
          server().clock.offsetMs = 0;
        }
        assert.deepEqual(await getMetadata(client, entry.metadata_id), linked);
        assert.equal((await entityEvents(server(), account.id, subject_record_id)).length, before);
      });

      it("drops the links of a deleted entity silently, leaving updated_at", async () => {
        const { client, entry, ids } = await setUp();
        const loose = await createPerson(client, entry.subject_record_id);
        expectOk(await link(client, entry.metadata_id, [ids.p, loose.person_id, ids.ba, ids.b]));
        const linked = await getMetadata(client, entry.metadata_id);
        expectOk(await client.call("person.delete", { person_id: loose.person_id }));
        expectOk(await client.call("bankAccount.delete", { bank_account_id: ids.ba }));
        expectOk(await client.call("business.delete", { business_id: ids.b }));
        assert.deepEqual(await getMetadata(client, entry.metadata_id), {
          ...linked,
          linked_entity_ids: [ids.p],
        });
      });

      it("links a location, and drops the link when the location is deleted", async () => {
        const { client, entry, ids } = await setUp();
        const location = await createLocation(client, entry.subject_record_id);
        expectOk(await link(client, entry.metadata_id, [location.location_id, ids.p]));
        const linked = await getMetadata(client, entry.metadata_id);
        assert.deepEqual(linked.linked_entity_ids, [location.location_id, ids.p]);
        expectOk(await client.call("location.delete", { location_id: location.location_id }));
        assert.deepEqual(await getMetadata(client, entry.metadata_id), {
          ...linked,
          linked_entity_ids: [ids.p],
        });
      });
    });

    describe("errors", () => {
      it("refuses malformed bodies on their field", async () => {
        const { client, entry, ids } = await setUp();
        const metadata_id = entry.metadata_id;
        const idRule = 'must match pattern "^(p_|ba_|b_|l_)[0-9A-Za-z]{1,22}$"';
        const cases: [unknown, ReturnType<typeof badRequest>[]][] = [
          [{ metadata_id }, [badRequest("entity_ids", "is required")]],
          [{ entity_ids: [ids.p] }, [badRequest("metadata_id", "is required")]],
          [{ metadata_id, entity_ids: [] }, [badRequest("entity_ids", "must NOT have fewer than 1 items")]],
          [
            { metadata_id, entity_ids: Array.from({ length: 101 }, () => ids.p) },
            [badRequest("entity_ids", "must NOT have more than 100 items")],
          ],
          [{ metadata_id, entity_ids: [ids.p, `sr_${UNKNOWN}`] }, [badRequest("entity_ids[1]", idRule)]],
          [{ metadata_id, entity_ids: [`bo_${UNKNOWN}`] }, [badRequest("entity_ids[0]", idRule)]],
          [
            { metadata_id: `p_${UNKNOWN}`, entity_ids: [ids.p] },
            [badRequest("metadata_id", 'must match pattern "^(md_)[0-9A-Za-z]{1,22}$"')],
          ],
        ];
        for (const [body, errors] of cases) {
          expectErrors(await callUntyped(client, "metadata.links.add", body), 400, errors);
        }
        assert.deepEqual((await getMetadata(client, metadata_id)).linked_entity_ids, []);
      });

      it("answers ENTITY_NOT_FOUND for the entry first, then the first unknown entity in request order", async () => {
        const { client, entry, ids } = await setUp();
        expectErrors(await link(client, `md_${UNKNOWN}`, [`p_${UNKNOWN}`]), 400, [
          notFound("Metadata", "metadata_id"),
        ]);
        expectErrors(await link(client, entry.metadata_id, [ids.p, `ba_${UNKNOWN}`, `p_${UNKNOWN}`]), 400, [
          notFound("Bank Account", "entity_ids[1]"),
        ]);
        expectErrors(await link(client, entry.metadata_id, [`b_${UNKNOWN}`]), 400, [
          notFound("Business", "entity_ids[0]"),
        ]);
        // A well-formed l_ ID that names no location is not found.
        expectErrors(await link(client, entry.metadata_id, [ids.b, `l_${UNKNOWN}`]), 400, [
          notFound("Location", "entity_ids[1]"),
        ]);
        assert.deepEqual((await getMetadata(client, entry.metadata_id)).linked_entity_ids, []);
      });

      it("refuses an entity of another subject record, also of another visible account, linking none", async () => {
        const { client, account, organization, entry, ids } = await setUp();
        const elsewhere = await createPerson(client, await createSubjectRecord(client, account.id));
        const otherAccount = await server().operator.createAccount({
          organizationId: organization.id,
          environment: "sandbox",
        });
        const foreign = await createPerson(client, await createSubjectRecord(client, otherAccount.id));
        for (const id of [elsewhere.person_id, foreign.person_id]) {
          expectErrors(await link(client, entry.metadata_id, [ids.p, id]), 400, [
            METADATA_ERRORS.crossRecord,
          ]);
        }
        assert.deepEqual((await getMetadata(client, entry.metadata_id)).linked_entity_ids, []);
      });

      it("refuses an ENDED record after the lookups, before the cross-record check", async () => {
        const { client, account, subject_record_id, entry, ids } = await setUp();
        const elsewhere = await createPerson(client, await createSubjectRecord(client, account.id));
        await endApplication(server(), client, account.id, subject_record_id);
        expectErrors(await link(client, entry.metadata_id, [`p_${UNKNOWN}`]), 400, [
          notFound("Person", "entity_ids[0]"),
        ]);
        expectErrors(await link(client, entry.metadata_id, [elsewhere.person_id]), 400, [DATA_ERRORS.ended]);
        expectErrors(await link(client, entry.metadata_id, [ids.p]), 400, [DATA_ERRORS.ended]);
        assert.deepEqual((await getMetadata(client, entry.metadata_id)).linked_entity_ids, []);
      });

      it("of simultaneous links of one entity exactly one writes an event", async () => {
        const { client, account, subject_record_id, entry, ids } = await setUp();
        const results = await Promise.all(
          Array.from({ length: 5 }, () => link(client, entry.metadata_id, [ids.p])),
        );
        for (const result of results) expectOk(result);
        const events = (await entityEvents(server(), account.id, subject_record_id)).filter(
          (e) => e.event_type === "METADATA_LINKED",
        );
        assert.equal(events.length, 1);
        assert.deepEqual((await getMetadata(client, entry.metadata_id)).linked_entity_ids, [ids.p]);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential's link with 403; it may read the entry", async () => {
        const { client, account, reader } = await withReader(server());
        const subject_record_id = await createSubjectRecord(client, account.id);
        const person = await createPerson(client, subject_record_id);
        await defineType(client, account.id, "T");
        const entry = await createMetadata(client, subject_record_id, "T");
        expectErrors(await link(reader, entry.metadata_id, [person.person_id]), 403, [
          ERRORS.readOnly("metadata.links.add"),
        ]);
        assert.deepEqual(await getMetadata(reader, entry.metadata_id), entry);
      });

      it("hides another organization's, an unlisted account's and a live account's entry", async () => {
        for (const [i, { name, viewer, owner, accountId }] of (await outOfSight(server())).entries()) {
          const subject_record_id = await createSubjectRecord(owner, accountId);
          const person = await createPerson(owner, subject_record_id);
          await defineType(owner, accountId, `T${i}`);
          const entry = await createMetadata(owner, subject_record_id, `T${i}`);
          expectErrors(await link(viewer, entry.metadata_id, [person.person_id]), 400, [
            notFound("Metadata", "metadata_id"),
          ]);
          expectErrors(await viewer.call("metadata.get", { metadata_id: entry.metadata_id }), 400, [
            notFound("Metadata", "metadata_id"),
          ]);
          assert.deepEqual((await getMetadata(owner, entry.metadata_id)).linked_entity_ids, [], name);
        }
      });
    });
  });
}
