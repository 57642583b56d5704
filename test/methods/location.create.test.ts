/**
 * location.create: the full object back, fields unset when left out or null, LOCATION_CREATED;
 * formats at step 1 (§15 rows: country, postal code), ENTITY_NOT_FOUND, FEATURE_NOT_ENABLED at
 * step 5 (after step 3, before the ENDED guard), WORKFLOW_ENDED, MAX_LOCATION_LIMIT (also raced);
 * who may create.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents, ISO_MS } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { createLocation, FULL_LOCATION, LOCATION_ERRORS, setLocationsEnabled } from "../support/locations.js";
import { useTestServer } from "../support/server.js";
import { createSubjectRecord, ERRORS, expectErrors, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`location.create [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("creates a location with every field and writes LOCATION_CREATED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "maker" } });
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId, FULL_LOCATION);
        assert.match(location.location_id, /^l_[0-9A-Za-z]{21,22}$/);
        assert.match(location.created_at, ISO_MS);
        assert.deepEqual(location, {
          location_id: location.location_id,
          subject_record_id: recordId,
          ...FULL_LOCATION,
          created_at: location.created_at,
          updated_at: location.created_at,
        });
        const got = await client.call("location.get", { location_id: location.location_id });
        assert.deepEqual(got.ok && got.data.location, location);
        const events = await entityEvents(server(), account.id, recordId);
        assertEntityEvent(
          events.at(-1),
          {
            event_type: "LOCATION_CREATED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_type: "Location",
            entity_id: location.location_id,
          },
          "maker",
        );
      });

      it("without a wrapper, or with nulls, every field is unset; a partial address reads back with every key", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const bare = await createLocation(client, recordId);
        const unset = {
          location_type: null,
          location_name: null,
          owner_name: null,
          owner_type: null,
          address: null,
        };
        assert.deepEqual(
          { ...bare, location_id: "", created_at: "", updated_at: "" },
          {
            location_id: "",
            subject_record_id: recordId,
            ...unset,
            created_at: "",
            updated_at: "",
          },
        );
        const nulls = await createLocation(client, recordId, unset);
        assert.equal(nulls.address, null);
        const gb = await createLocation(client, recordId, {
          address: { postal_code: "SW1A 1AA", country: "GB" },
        });
        assert.deepEqual(gb.address, {
          line1: null,
          line2: null,
          city: null,
          state: null,
          postal_code: "SW1A 1AA",
          country: "GB",
        });
      });
    });

    describe("errors", () => {
      it("refuses bad values at step 1 with their field (§15: country, postal code; enums; address_type)", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const cases: [Record<string, unknown>, string][] = [
          [{ address: { country: "UK" } }, "location.address.country"],
          [{ address: { country: "us" } }, "location.address.country"],
          [{ address: { country: "XX" } }, "location.address.country"],
          [{ address: { postal_code: "9410" } }, "location.address.postal_code"],
          [{ address: { postal_code: "941051234", country: "US" } }, "location.address.postal_code"],
          [{ address: { address_type: "LEGAL" } }, "location.address.address_type"],
          [{ location_type: "PALACE" }, "location.location_type"],
          [{ owner_type: "business" }, "location.owner_type"],
          [{ location_name: "" }, "location.location_name"],
          [{ owner_name: "x".repeat(256) }, "location.owner_name"],
          [{ colour: "red" }, "location.colour"],
        ];
        for (const [location, field] of cases) {
          const result = await client.call("location.create", {
            subject_record_id: recordId,
            location,
          } as never);
          assert.equal(result.ok, false, field);
          if (!result.ok) {
            assert.equal(result.status, 400, field);
            assert.equal(result.errors[0]?.code, "BAD_REQUEST", field);
            assert.equal(result.errors[0]?.field, field);
          }
        }
        for (const postal of ["94105", "94105-1234"])
          await createLocation(client, recordId, { address: { postal_code: postal } });
        const listed = await client.call("location.list", { subject_record_id: recordId });
        assert.equal(listed.ok && listed.data.locations.length, 2);
      });

      it("answers ENTITY_NOT_FOUND (step 3) before FEATURE_NOT_ENABLED (step 5), that before WORKFLOW_ENDED (step 6)", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        await endApplication(server(), client, account.id, recordId);
        expectErrors(await client.call("location.create", { subject_record_id: recordId }), 400, [
          DATA_ERRORS.ended,
        ]);
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(
          await client.call("location.create", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
        expectErrors(await client.call("location.create", { subject_record_id: recordId }), 400, [
          LOCATION_ERRORS.disabled,
        ]);
        // Bad values still come first (step 1).
        const bad = await client.call("location.create", {
          subject_record_id: recordId,
          location: { location_type: "PALACE" },
        } as never);
        assert.equal(!bad.ok && bad.errors[0]?.code, "BAD_REQUEST");
      });

      it("refuses the 101st location with MAX_LOCATION_LIMIT; of simultaneous creates at 99 exactly one wins", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        for (let i = 0; i < 99; i += 1) await createLocation(client, recordId);
        const results = await Promise.all(
          Array.from({ length: 4 }, () => client.call("location.create", { subject_record_id: recordId })),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [LOCATION_ERRORS.limit]);
        expectErrors(await client.call("location.create", { subject_record_id: recordId }), 400, [
          LOCATION_ERRORS.limit,
        ]);
        const created = (await entityEvents(server(), account.id, recordId)).filter(
          (e) => e.event_type === "LOCATION_CREATED",
        );
        assert.equal(created.length, 100);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        const recordId = await createSubjectRecord(client, account.id);
        expectErrors(await reader.call("location.create", { subject_record_id: recordId }), 403, [
          ERRORS.readOnly("location.create"),
        ]);
      });

      it("hides a subject record out of sight", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const recordId = await createSubjectRecord(owner, accountId);
          expectErrors(await viewer.call("location.create", { subject_record_id: recordId }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          const listed = await owner.call("location.list", { subject_record_id: recordId });
          assert.deepEqual(listed.ok && listed.data.locations, [], name);
        }
      });
    });
  });
}
