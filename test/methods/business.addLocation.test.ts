/**
 * business.addLocation, getLocation, listLocations, removeLocation (data.md §5.4): the association
 * back; BUSINESS_LOCATION_ADDED / _REMOVED with linked_entity_ids; steps 3 → 5 → 6 → 7 → 9;
 * DUPLICATE_LOCATION_ASSOCIATION (also raced); verbose nests the location; business.delete is
 * ENTITY_LINKED by a location link; FEATURE_NOT_ENABLED on every one; who may link and read.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { BANK_ERRORS } from "../support/bank-accounts.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import {
  addLocation,
  createLocation,
  FULL_LOCATION,
  LOCATION_ERRORS,
  setLocationsEnabled,
} from "../support/locations.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  notFound,
} from "../support/workflows.js";

const body = (businessId: string, locationId: string) => ({
  business_id: businessId,
  business_location: { location_id: locationId },
});

for (const kind of databaseKinds()) {
  describe(`business location associations [${kind}]`, () => {
    const server = useTestServer(kind);

    async function setup(name = "linker") {
      const fixture = await server().fixture({ credential: { name } });
      const business = await newBusiness(fixture.client, fixture.account.id);
      const location = await createLocation(fixture.client, business.subject_record_id, FULL_LOCATION);
      return { ...fixture, business, location, recordId: business.subject_record_id };
    }

    describe("success", () => {
      it("links, gets, lists (verbose nests the location) and removes, with events", async () => {
        const { client, account, business, location, recordId } = await setup();
        const added = await addLocation(client, business.business_id, location.location_id);
        assert.match(added.business_location_id, /^bl_[0-9A-Za-z]{21,22}$/);
        assert.deepEqual(added, {
          business_location_id: added.business_location_id,
          business_id: business.business_id,
          location_id: location.location_id,
          created_at: added.created_at,
          updated_at: added.created_at,
        });
        const linked = {
          account_id: account.id,
          subject_record_id: recordId,
          entity_type: "Business Location" as const,
          entity_id: added.business_location_id,
          linked_entity_ids: [business.business_id, location.location_id],
        };
        assertEntityEvent(
          (await entityEvents(server(), account.id, recordId)).at(-1),
          { event_type: "BUSINESS_LOCATION_ADDED", ...linked },
          "linker",
        );
        const id = { business_location_id: added.business_location_id };
        assert.deepEqual(expectOk(await client.call("business.getLocation", id)).business_location, added);
        assert.deepEqual(
          expectOk(
            await client.call("business.getLocation", { ...id, verbose: true, show_sensitive_data: true }),
          ).business_location,
          { ...added, location },
        );
        const second = await createLocation(client, recordId);
        const added2 = await addLocation(client, business.business_id, second.location_id);
        const page = expectOk(
          await client.call("business.listLocations", { business_id: business.business_id, limit: 1 }),
        );
        assert.deepEqual(page.business_locations, [added]);
        assert.equal(page.has_more, true);
        const verbose = expectOk(
          await client.call("business.listLocations", { business_id: business.business_id, verbose: true }),
        );
        assert.deepEqual(verbose.business_locations, [
          { ...added, location },
          { ...added2, location: second },
        ]);
        expectErrors(await client.call("business.delete", { business_id: business.business_id }), 400, [
          DATA_ERRORS.businessLinked(["business.removeLocation"]),
        ]);
        expectOk(await client.call("business.removeLocation", id));
        assertEntityEvent(
          (await entityEvents(server(), account.id, recordId)).at(-1),
          { event_type: "BUSINESS_LOCATION_REMOVED", ...linked },
          "linker",
        );
        expectErrors(await client.call("business.getLocation", id), 400, [
          notFound("Business Location", "business_location_id"),
        ]);
        expectErrors(await client.call("business.removeLocation", id), 400, [
          notFound("Business Location", "business_location_id"),
        ]);
        // The location stays.
        expectOk(await client.call("location.get", { location_id: location.location_id }));
      });
    });

    describe("errors", () => {
      it("addLocation: BAD_REQUEST, then ENTITY_NOT_FOUND on business_id then location_id, FEATURE_NOT_ENABLED, WORKFLOW_ENDED, XSR", async () => {
        const { client, account, business, location, recordId } = await setup();
        expectErrors(
          await client.call("business.addLocation", { business_id: business.business_id } as never),
          400,
          [badRequest("business_location", "is required")],
        );
        const unknownLocation = "l_163Gh1ONk6BCHF9iYVDHcv";
        expectErrors(
          await client.call("business.addLocation", body("b_163Gh1ONk6BCHF9iYVDHcv", unknownLocation)),
          400,
          [notFound("Business", "business_id")],
        );
        expectErrors(
          await client.call("business.addLocation", body(business.business_id, unknownLocation)),
          400,
          [notFound("Location", "business_location.location_id")],
        );
        const other = await createLocation(client, await createSubjectRecord(client, account.id));
        expectErrors(
          await client.call("business.addLocation", body(business.business_id, other.location_id)),
          400,
          [BANK_ERRORS.crossRecord],
        );
        await endApplication(server(), client, account.id, recordId);
        expectErrors(
          await client.call("business.addLocation", body(business.business_id, other.location_id)),
          400,
          [DATA_ERRORS.ended],
        );
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(
          await client.call("business.addLocation", body(business.business_id, location.location_id)),
          400,
          [LOCATION_ERRORS.disabled],
        );
      });

      it("refuses a second link of the pair; of simultaneous adds exactly one wins", async () => {
        const { client, account, business, location, recordId } = await setup();
        const results = await Promise.all(
          Array.from({ length: 4 }, () =>
            client.call("business.addLocation", body(business.business_id, location.location_id)),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [LOCATION_ERRORS.duplicateBusiness]);
        expectErrors(
          await client.call("business.addLocation", body(business.business_id, location.location_id)),
          400,
          [LOCATION_ERRORS.duplicateBusiness],
        );
        const added = (await entityEvents(server(), account.id, recordId)).filter(
          (e) => e.event_type === "BUSINESS_LOCATION_ADDED",
        );
        assert.equal(added.length, 1);
      });

      it("reads and removeLocation answer FEATURE_NOT_ENABLED after ENTITY_NOT_FOUND; remove is guarded by ENDED", async () => {
        const { client, account, business, location, recordId } = await setup();
        const added = await addLocation(client, business.business_id, location.location_id);
        const id = { business_location_id: added.business_location_id };
        await endApplication(server(), client, account.id, recordId);
        expectErrors(await client.call("business.removeLocation", id), 400, [DATA_ERRORS.ended]);
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(await client.call("business.removeLocation", id), 400, [LOCATION_ERRORS.disabled]);
        expectErrors(await client.call("business.getLocation", id), 400, [LOCATION_ERRORS.disabled]);
        expectErrors(
          await client.call("business.listLocations", { business_id: business.business_id }),
          400,
          [LOCATION_ERRORS.disabled],
        );
        const unknown = { business_location_id: "bl_163Gh1ONk6BCHF9iYVDHcv" };
        expectErrors(await client.call("business.getLocation", unknown), 400, [
          notFound("Business Location", "business_location_id"),
        ]);
        expectErrors(
          await client.call("business.listLocations", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Business", "business_id")],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential the writes and the unmasking flag, not the reads", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        const location = await createLocation(client, business.subject_record_id);
        expectErrors(
          await reader.call("business.addLocation", body(business.business_id, location.location_id)),
          403,
          [ERRORS.readOnly("business.addLocation")],
        );
        const added = await addLocation(client, business.business_id, location.location_id);
        const id = { business_location_id: added.business_location_id };
        expectErrors(await reader.call("business.removeLocation", id), 403, [
          ERRORS.readOnly("business.removeLocation"),
        ]);
        expectOk(await reader.call("business.getLocation", id));
        expectOk(await reader.call("business.listLocations", { business_id: business.business_id }));
        const refused = await reader.call("business.getLocation", { ...id, show_sensitive_data: true });
        assert.equal(!refused.ok && refused.errors[0]?.field, "show_sensitive_data");
      });

      it("hides a business and its location links out of sight", async () => {
        for (const { viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          const location = await createLocation(owner, business.subject_record_id);
          expectErrors(
            await viewer.call("business.addLocation", body(business.business_id, location.location_id)),
            400,
            [notFound("Business", "business_id")],
          );
          const added = await addLocation(owner, business.business_id, location.location_id);
          const id = { business_location_id: added.business_location_id };
          for (const method of ["business.getLocation", "business.removeLocation"] as const)
            expectErrors(await viewer.call(method, id), 400, [
              notFound("Business Location", "business_location_id"),
            ]);
          expectErrors(
            await viewer.call("business.listLocations", { business_id: business.business_id }),
            400,
            [notFound("Business", "business_id")],
          );
        }
      });
    });
  });
}
