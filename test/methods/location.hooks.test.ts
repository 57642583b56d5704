/**
 * What locations change elsewhere: subjectRecord.get verbose lists them (even with the feature
 * off, §12.1); subjectRecord.delete deletes them with their associations (§12.2); the
 * BUSINESS_LOCATION completion requirement (§14) asks for a business location association, and is
 * met while the account has locations switched off.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBankAccount } from "../support/bank-accounts.js";
import { newBusiness } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import {
  addLocation,
  addLocationBankAccount,
  createLocation,
  FULL_LOCATION,
  setLocationsEnabled,
} from "../support/locations.js";
import { useTestServer } from "../support/server.js";
import { queryRows } from "../support/sql.js";
import { createApplication, expectErrors, expectOk, notFound } from "../support/workflows.js";

const LOCATION_TABLES: [string, string][] = [
  ["location", "subject_record_id = $1"],
  ["business_location", "location_id in (select id from location where subject_record_id = $1)"],
  ["location_bank_account", "location_id in (select id from location where subject_record_id = $1)"],
  ["location_bank_account_purpose", "location_id in (select id from location where subject_record_id = $1)"],
];

const BUSINESS_LOCATION_MISSING = {
  requirement: "BUSINESS_LOCATION",
  code: "ENTITY_REQUIRED",
  entity_type: "Business Location",
  entity_id: null,
  message: "A business location is required.",
  related_methods: ["location.create", "business.addLocation"],
};

for (const kind of databaseKinds()) {
  describe(`locations in subject records and completion [${kind}]`, () => {
    const server = useTestServer(kind);

    it("subjectRecord.get verbose lists the record's locations oldest first, also with the feature off", async () => {
      const { client, account } = await server().fixture();
      const business = await newBusiness(client, account.id);
      const first = await createLocation(client, business.subject_record_id, FULL_LOCATION);
      const second = await createLocation(client, business.subject_record_id);
      const get = async () =>
        expectOk(
          await client.call("subjectRecord.get", {
            subject_record_id: business.subject_record_id,
            verbose: true,
          }),
        ).subject_record.locations;
      assert.deepEqual(await get(), [first, second]);
      await setLocationsEnabled(server(), account.id, false);
      assert.deepEqual(await get(), [first, second]);
    });

    it("subjectRecord.delete deletes the locations with their business and bank-account associations", async () => {
      const { client, account } = await server().fixture();
      const business = await newBusiness(client, account.id);
      const recordId = business.subject_record_id;
      const location = await createLocation(client, recordId);
      const bank = await createBankAccount(client, recordId);
      await addLocation(client, business.business_id, location.location_id);
      await addLocationBankAccount(client, location.location_id, bank.bank_account_id, [
        "FEES",
        "SETTLEMENT",
      ]);
      const counts = async () => {
        const result: Record<string, number> = {};
        for (const [table, where] of LOCATION_TABLES) {
          const [row] = await queryRows<{ n: number | string }>(
            server().database,
            `select count(*) as n from ${table} where ${where}`,
            [recordId],
          );
          result[table] = Number(row?.n);
        }
        return result;
      };
      assert.deepEqual(await counts(), {
        location: 1,
        business_location: 1,
        location_bank_account: 1,
        location_bank_account_purpose: 2,
      });
      expectOk(await client.call("subjectRecord.delete", { subject_record_id: recordId }));
      assert.deepEqual(await counts(), {
        location: 0,
        business_location: 0,
        location_bank_account: 0,
        location_bank_account_purpose: 0,
      });
      expectErrors(await client.call("location.get", { location_id: location.location_id }), 400, [
        notFound("Location", "location_id"),
      ]);
    });

    it("BUSINESS_LOCATION is missing without a business location, met with one or while locations are off", async () => {
      const { client, account } = await server().fixture({
        dataSettings: { completion_requirements: ["BUSINESS_LOCATION"] },
      });
      const business = await newBusiness(client, account.id);
      const application = await createApplication(client, account.id, {
        subjectRecordId: business.subject_record_id,
      });
      const id = { workflow_id: application.workflow_id };
      const canComplete = async () => expectOk(await client.call("workflow.canComplete", id));
      assert.deepEqual(await canComplete(), {
        can_complete: false,
        missing_requirements: [BUSINESS_LOCATION_MISSING],
      });
      // A location alone is not enough: the business must be linked to it.
      const location = await createLocation(client, business.subject_record_id);
      assert.equal((await canComplete()).can_complete, false);
      await setLocationsEnabled(server(), account.id, false);
      assert.deepEqual(await canComplete(), { can_complete: true });
      await setLocationsEnabled(server(), account.id, true);
      await addLocation(client, business.business_id, location.location_id);
      assert.deepEqual(await canComplete(), { can_complete: true });
      expectOk(await client.call("workflow.complete", id));
    });
  });
}
