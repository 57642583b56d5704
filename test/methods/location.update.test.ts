/**
 * location.update: §2.3 semantics (left out unchanged, null unsets, address replaced whole),
 * LOCATION_UPDATED with the fields; an empty wrapper changes nothing; step order 1 → 3 → 5 → 6;
 * who may update.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import {
  createLocation,
  FULL_LOCATION,
  getLocation,
  LOCATION_ERRORS,
  setLocationsEnabled,
} from "../support/locations.js";
import { useTestServer } from "../support/server.js";
import { createSubjectRecord, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`location.update [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("replaces the given fields (address whole), unsets nulls, keeps the rest, writes LOCATION_UPDATED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "editor" } });
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId, FULL_LOCATION);
        expectOk(
          await client.call("location.update", {
            location_id: location.location_id,
            location: { owner_name: null, location_type: "OFFICE", address: { city: "Oakland" } },
          }),
        );
        const updated = await getLocation(client, location.location_id);
        assert.deepEqual(updated, {
          ...location,
          owner_name: null,
          location_type: "OFFICE",
          address: {
            line1: null,
            line2: null,
            city: "Oakland",
            state: null,
            postal_code: null,
            country: null,
          },
          updated_at: updated.updated_at,
        });
        assert.ok(updated.updated_at >= location.updated_at);
        const events = await entityEvents(server(), account.id, recordId);
        assertEntityEvent(
          events.at(-1),
          {
            event_type: "LOCATION_UPDATED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_type: "Location",
            entity_id: location.location_id,
            fields: ["address", "location_type", "owner_name"],
          },
          "editor",
        );
        expectOk(
          await client.call("location.update", {
            location_id: location.location_id,
            location: { address: null },
          }),
        );
        assert.equal((await getLocation(client, location.location_id)).address, null);
      });

      it("an absent or empty wrapper changes nothing and writes no event", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId, FULL_LOCATION);
        const before = (await entityEvents(server(), account.id, recordId)).length;
        expectOk(await client.call("location.update", { location_id: location.location_id }));
        expectOk(await client.call("location.update", { location_id: location.location_id, location: {} }));
        assert.deepEqual(await getLocation(client, location.location_id), location);
        assert.equal((await entityEvents(server(), account.id, recordId)).length, before);
      });
    });

    describe("errors", () => {
      it("refuses bad values at step 1, then ENTITY_NOT_FOUND, FEATURE_NOT_ENABLED, WORKFLOW_ENDED in that order", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId);
        const bad = await client.call("location.update", {
          location_id: location.location_id,
          location: { address: { postal_code: "9410" } },
        });
        assert.equal(!bad.ok && bad.errors[0]?.field, "location.address.postal_code");
        await endApplication(server(), client, account.id, recordId);
        const body = { location_id: location.location_id, location: { location_name: "X" } };
        expectErrors(await client.call("location.update", body), 400, [DATA_ERRORS.ended]);
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(await client.call("location.update", body), 400, [LOCATION_ERRORS.disabled]);
        expectErrors(
          await client.call("location.update", { ...body, location_id: "l_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Location", "location_id")],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential; hides a location out of sight", async () => {
        const { client, account, reader } = await withReader(server());
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId);
        expectErrors(await reader.call("location.update", { location_id: location.location_id }), 403, [
          ERRORS.readOnly("location.update"),
        ]);
        for (const { viewer, owner, accountId } of await outOfSight(server())) {
          const hidden = await createLocation(owner, await createSubjectRecord(owner, accountId));
          expectErrors(
            await viewer.call("location.update", {
              location_id: hidden.location_id,
              location: { location_name: "X" },
            }),
            400,
            [notFound("Location", "location_id")],
          );
          assert.equal((await getLocation(owner, hidden.location_id)).location_name, null);
        }
      });
    });
  });
}
