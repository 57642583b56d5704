/**
 * location.delete: hard delete with LOCATION_DELETED; ENTITY_LINKED while linked to a business or
 * to bank accounts (related_methods in §3.5's order); step order 3 → 5 → 6 → 8; not idempotent;
 * who may delete.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { createBankAccount } from "../support/bank-accounts.js";
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
  addLocationBankAccount,
  createLocation,
  LOCATION_ERRORS,
  setLocationsEnabled,
} from "../support/locations.js";
import { useTestServer } from "../support/server.js";
import { createSubjectRecord, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`location.delete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("deletes the location, writes LOCATION_DELETED; a second delete is ENTITY_NOT_FOUND", async () => {
        const { client, account } = await server().fixture({ credential: { name: "remover" } });
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId);
        expectOk(await client.call("location.delete", { location_id: location.location_id }));
        expectErrors(await client.call("location.get", { location_id: location.location_id }), 400, [
          notFound("Location", "location_id"),
        ]);
        expectErrors(await client.call("location.delete", { location_id: location.location_id }), 400, [
          notFound("Location", "location_id"),
        ]);
        assertEntityEvent(
          (await entityEvents(server(), account.id, recordId)).at(-1),
          {
            event_type: "LOCATION_DELETED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_type: "Location",
            entity_id: location.location_id,
          },
          "remover",
        );
      });
    });

    describe("errors", () => {
      it("is ENTITY_LINKED while linked to a business or bank accounts, naming the removers present", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const location = await createLocation(client, business.subject_record_id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const bl = await addLocation(client, business.business_id, location.location_id);
        const lba = await addLocationBankAccount(client, location.location_id, bank.bank_account_id, [
          "FEES",
        ]);
        const del = () => client.call("location.delete", { location_id: location.location_id });
        expectErrors(await del(), 400, [
          LOCATION_ERRORS.linked(["business.removeLocation", "location.removeBankAccount"]),
        ]);
        expectOk(
          await client.call("business.removeLocation", { business_location_id: bl.business_location_id }),
        );
        expectErrors(await del(), 400, [LOCATION_ERRORS.linked(["location.removeBankAccount"])]);
        await addLocation(client, business.business_id, location.location_id);
        expectOk(
          await client.call("location.removeBankAccount", {
            location_bank_account_id: lba.location_bank_account_id,
          }),
        );
        expectErrors(await del(), 400, [LOCATION_ERRORS.linked(["business.removeLocation"])]);
      });

      it("answers ENTITY_NOT_FOUND, FEATURE_NOT_ENABLED, WORKFLOW_ENDED, then ENTITY_LINKED in that order", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const location = await createLocation(client, business.subject_record_id);
        await addLocation(client, business.business_id, location.location_id);
        const del = () => client.call("location.delete", { location_id: location.location_id });
        expectErrors(await del(), 400, [LOCATION_ERRORS.linked(["business.removeLocation"])]);
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(await del(), 400, [DATA_ERRORS.ended]);
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(await del(), 400, [LOCATION_ERRORS.disabled]);
        expectErrors(await client.call("location.delete", { location_id: "l_163Gh1ONk6BCHF9iYVDHcv" }), 400, [
          notFound("Location", "location_id"),
        ]);
      });
    });

    describe("races", () => {
      it("a delete racing business.addLocation: one runs first; ENTITY_LINKED on the delete or ENTITY_NOT_FOUND on the add", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        for (let round = 0; round < 4; round += 1) {
          const location = await createLocation(client, business.subject_record_id);
          const [added, deleted] = await Promise.all([
            client.call("business.addLocation", {
              business_id: business.business_id,
              business_location: { location_id: location.location_id },
            }),
            client.call("location.delete", { location_id: location.location_id }),
          ]);
          assert.notEqual(added.ok, deleted.ok, "exactly one succeeds");
          if (added.ok) {
            expectErrors(deleted, 400, [LOCATION_ERRORS.linked(["business.removeLocation"])]);
            expectOk(
              await client.call("business.removeLocation", {
                business_location_id: added.data.business_location.business_location_id,
              }),
            );
          } else {
            expectErrors(added, 400, [notFound("Location", "business_location.location_id")]);
          }
        }
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential; hides a location out of sight", async () => {
        const { client, account, reader } = await withReader(server());
        const location = await createLocation(client, await createSubjectRecord(client, account.id));
        expectErrors(await reader.call("location.delete", { location_id: location.location_id }), 403, [
          ERRORS.readOnly("location.delete"),
        ]);
        for (const { viewer, owner, accountId } of await outOfSight(server())) {
          const hidden = await createLocation(owner, await createSubjectRecord(owner, accountId));
          expectErrors(await viewer.call("location.delete", { location_id: hidden.location_id }), 400, [
            notFound("Location", "location_id"),
          ]);
          assert.ok(expectOk(await owner.call("location.get", { location_id: hidden.location_id })));
        }
      });
    });
  });
}
