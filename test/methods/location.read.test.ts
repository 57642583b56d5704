/**
 * location.get and location.list: the object as created; verbose adds location_bank_accounts with
 * their bank accounts, masked unless show_sensitive_data (then audited); pagination oldest first;
 * FEATURE_NOT_ENABLED for reads too (step 5, after ENTITY_NOT_FOUND); who may read and unmask.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { audits, createBankAccount, FULL_BANK_ACCOUNT, masked } from "../support/bank-accounts.js";
import { databaseKinds } from "../support/databases.js";
import {
  addLocationBankAccount,
  createLocation,
  FULL_LOCATION,
  LOCATION_ERRORS,
  setLocationsEnabled,
} from "../support/locations.js";
import { useTestServer } from "../support/server.js";
import { createSubjectRecord, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`location.get and location.list [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("verbose nests each bank-account association with its bank account, masked; unmasked and audited with the flag", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId, FULL_LOCATION);
        const bank = await createBankAccount(client, recordId, FULL_BANK_ACCOUNT);
        const link = await addLocationBankAccount(client, location.location_id, bank.bank_account_id, [
          "SETTLEMENT",
          "FEES",
        ]);
        assert.deepEqual(link.bank_account_purposes, ["SETTLEMENT", "FEES"]);
        const plain = expectOk(await client.call("location.get", { location_id: location.location_id }));
        assert.deepEqual(plain.location, location);
        const verbose = expectOk(
          await client.call("location.get", { location_id: location.location_id, verbose: true }),
        );
        assert.deepEqual(verbose.location, {
          ...location,
          location_bank_accounts: [{ ...link, bank_account: bank }],
        });
        assert.equal(bank.bank_account_number, masked(FULL_BANK_ACCOUNT.bank_account_number));
        assert.deepEqual(await audits(server(), account.id), []);
        const shown = expectOk(
          await client.call("location.get", {
            location_id: location.location_id,
            verbose: true,
            show_sensitive_data: true,
          }),
        );
        assert.equal(
          shown.location.location_bank_accounts?.[0]?.bank_account.bank_account_number,
          FULL_BANK_ACCOUNT.bank_account_number,
        );
        const listed = expectOk(
          await client.call("location.list", {
            subject_record_id: recordId,
            verbose: true,
            show_sensitive_data: true,
          }),
        );
        assert.deepEqual(listed.locations, [shown.location]);
        const logged = await audits(server(), account.id);
        assert.equal(logged.length, 2);
        assert.deepEqual(logged[0], {
          method: "location.get",
          entities: [
            { entity_type: "Bank Account", entity_id: bank.bank_account_id, fields: ["bank_account_number"] },
          ],
        });
      });

      it("lists oldest first, page by page, [] when none", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const empty = expectOk(await client.call("location.list", { subject_record_id: recordId }));
        assert.deepEqual(empty, { locations: [], has_more: false, next_cursor: null });
        const made = [];
        for (let i = 0; i < 3; i += 1)
          made.push(await createLocation(client, recordId, { location_name: `L${i}` }));
        const first = expectOk(await client.call("location.list", { subject_record_id: recordId, limit: 2 }));
        assert.deepEqual(first.locations, made.slice(0, 2));
        assert.equal(first.has_more, true);
        const second = expectOk(
          await client.call("location.list", {
            subject_record_id: recordId,
            limit: 2,
            cursor: first.next_cursor ?? "",
          }),
        );
        assert.deepEqual(second.locations, made.slice(2));
        assert.equal(second.has_more, false);
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND, then FEATURE_NOT_ENABLED when the account switched locations off", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId);
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(await client.call("location.get", { location_id: "l_163Gh1ONk6BCHF9iYVDHcv" }), 400, [
          notFound("Location", "location_id"),
        ]);
        expectErrors(await client.call("location.get", { location_id: location.location_id }), 400, [
          LOCATION_ERRORS.disabled,
        ]);
        expectErrors(
          await client.call("location.list", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
        expectErrors(await client.call("location.list", { subject_record_id: recordId }), 400, [
          LOCATION_ERRORS.disabled,
        ]);
        await setLocationsEnabled(server(), account.id, true);
        expectOk(await client.call("location.get", { location_id: location.location_id }));
      });

      it("refuses a malformed ID or flag with BAD_REQUEST", async () => {
        const { client } = await server().fixture();
        for (const body of [
          { location_id: "b_163Gh1ONk6BCHF9iYVDHcv" },
          { location_id: "l_163Gh1ONk6BCHF9iYVDHcv", verbose: "yes" },
        ]) {
          const result = await client.call("location.get", body as never);
          assert.equal(!result.ok && result.errors[0]?.code, "BAD_REQUEST");
        }
      });
    });

    describe("authorization", () => {
      it("refuses show_sensitive_data to a read-only credential (step 2), which may read otherwise", async () => {
        const { client, account, reader } = await withReader(server());
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId);
        expectOk(await reader.call("location.get", { location_id: location.location_id, verbose: true }));
        const refused = await reader.call("location.get", {
          location_id: location.location_id,
          show_sensitive_data: true,
        });
        assert.equal(!refused.ok && refused.errors[0]?.code, "PERMISSION_DENIED");
        assert.equal(!refused.ok && refused.errors[0]?.field, "show_sensitive_data");
      });

      it("hides a location out of sight", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const recordId = await createSubjectRecord(owner, accountId);
          const location = await createLocation(owner, recordId);
          expectErrors(await viewer.call("location.get", { location_id: location.location_id }), 400, [
            notFound("Location", "location_id"),
          ]);
          expectErrors(await viewer.call("location.list", { subject_record_id: recordId }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.ok(name);
        }
      });
    });
  });
}
