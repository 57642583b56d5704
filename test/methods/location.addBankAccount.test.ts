/**
 * location.addBankAccount and location.removeBankAccount: the association back with its purposes
 * in the order given; LOCATION_BANK_ACCOUNT_ADDED / _REMOVED with linked_entity_ids; purposes at
 * step 1 (1–10 unique tokens) and step 4 (the account's set, location_bank_account_purposes
 * included; PRIMARY is not one); steps 3 → 4 → 5 → 6 → 7; DUPLICATE_BANK_ACCOUNT_ASSOCIATION (also
 * raced); a linked bank account is ENTITY_LINKED on bankAccount.delete; who may link.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { BANK_ERRORS, createBankAccount } from "../support/bank-accounts.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import {
  addLocationBankAccount,
  createLocation,
  getLocation,
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

const body = (locationId: string, bankAccountId: string, purposes: string[] = []) => ({
  location_id: locationId,
  location_bank_account: {
    bank_account_id: bankAccountId,
    bank_account_purposes: purposes,
  },
});
const PATH = "location_bank_account.bank_account_purposes";

for (const kind of databaseKinds()) {
  describe(`location.addBankAccount and removeBankAccount [${kind}]`, () => {
    const server = useTestServer(kind);

    async function setup(options: Parameters<ReturnType<typeof server>["fixture"]>[0] = {}) {
      const fixture = await server().fixture(options);
      const recordId = await createSubjectRecord(fixture.client, fixture.account.id);
      const location = await createLocation(fixture.client, recordId);
      const bank = await createBankAccount(fixture.client, recordId);
      return { ...fixture, recordId, location, bank };
    }

    describe("success", () => {
      it("links with purposes in the order given, writes the events; remove deletes only the link", async () => {
        const { client, account, recordId, location, bank } = await setup({
          credential: { name: "linker" },
          dataSettings: { location_bank_account_purposes: ["RENT"] },
        });
        const link = await addLocationBankAccount(client, location.location_id, bank.bank_account_id, [
          "RENT",
          "FEES",
        ]);
        assert.match(link.location_bank_account_id, /^lba_[0-9A-Za-z]{21,22}$/);
        assert.deepEqual(link, {
          location_bank_account_id: link.location_bank_account_id,
          location_id: location.location_id,
          bank_account_id: bank.bank_account_id,
          bank_account_purposes: ["RENT", "FEES"],
          created_at: link.created_at,
          updated_at: link.created_at,
        });
        // Disjoint purposes: a second link of the same bank account.
        await addLocationBankAccount(client, location.location_id, bank.bank_account_id, ["SETTLEMENT"]);
        const linked = {
          entity_type: "Location Bank Account" as const,
          linked_entity_ids: [location.location_id, bank.bank_account_id],
        };
        assertEntityEvent(
          (await entityEvents(server(), account.id, recordId)).at(-2),
          {
            event_type: "LOCATION_BANK_ACCOUNT_ADDED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_id: link.location_bank_account_id,
            ...linked,
          },
          "linker",
        );
        expectErrors(
          await client.call("bankAccount.delete", { bank_account_id: bank.bank_account_id }),
          400,
          [BANK_ERRORS.linked(["location.removeBankAccount"])],
        );
        expectOk(
          await client.call("location.removeBankAccount", {
            location_bank_account_id: link.location_bank_account_id,
          }),
        );
        assertEntityEvent(
          (await entityEvents(server(), account.id, recordId)).at(-1),
          {
            event_type: "LOCATION_BANK_ACCOUNT_REMOVED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_id: link.location_bank_account_id,
            ...linked,
          },
          "linker",
        );
        const verbose = await getLocation(client, location.location_id, true);
        assert.deepEqual(
          verbose.location_bank_accounts?.map((a) => a.bank_account_purposes),
          [["SETTLEMENT"]],
        );
        expectErrors(
          await client.call("location.removeBankAccount", {
            location_bank_account_id: link.location_bank_account_id,
          }),
          400,
          [notFound("Location Bank Account", "location_bank_account_id")],
        );
      });
    });

    describe("errors", () => {
      it("refuses purposes at step 1: missing, empty, repeated, not a token, more than 10", async () => {
        const { client } = await server().fixture();
        const l = "l_163Gh1ONk6BCHF9iYVDHcv";
        const ba = "ba_163Gh1ONk6BCHF9iYVDHcv";
        expectErrors(await client.call("location.addBankAccount", body(l, ba, ["FEES", "FEES"])), 400, [
          badRequest(`${PATH}[1]`, "repeats the value of item 0"),
        ]);
        const missing = { location_id: l, location_bank_account: { bank_account_id: ba } };
        const result = await client.call("location.addBankAccount", missing as never);
        expectErrors(result, 400, [badRequest(PATH, "is required")]);
        for (const purposes of [[], ["fees"], Array.from({ length: 11 }, (_, i) => `P${i}`)]) {
          const result = await client.call("location.addBankAccount", body(l, ba, purposes));
          assert.equal(!result.ok && result.errors[0]?.code, "BAD_REQUEST", JSON.stringify(purposes));
          assert.ok(!result.ok && result.errors[0]?.field?.startsWith(PATH), JSON.stringify(purposes));
        }
        expectErrors(await client.call("location.addBankAccount", { location_id: l } as never), 400, [
          badRequest("location_bank_account", "is required"),
        ]);
      });

      it("checks location_id, bank_account_id, the purposes' set (step 4), then FEATURE_NOT_ENABLED (step 5)", async () => {
        const { client, account, location, bank } = await setup();
        const unknownBank = "ba_163Gh1ONk6BCHF9iYVDHcv";
        expectErrors(
          await client.call(
            "location.addBankAccount",
            body("l_163Gh1ONk6BCHF9iYVDHcv", unknownBank, ["FEES"]),
          ),
          400,
          [notFound("Location", "location_id")],
        );
        expectErrors(
          await client.call("location.addBankAccount", body(location.location_id, unknownBank, ["FEES"])),
          400,
          [notFound("Bank Account", "location_bank_account.bank_account_id")],
        );
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(
          await client.call(
            "location.addBankAccount",
            body(location.location_id, bank.bank_account_id, ["FEES", "PRIMARY"]),
          ),
          400,
          [badRequest(`${PATH}[1]`, "must be one of FEES, SETTLEMENT")],
        );
        expectErrors(
          await client.call(
            "location.addBankAccount",
            body(location.location_id, bank.bank_account_id, ["FEES"]),
          ),
          400,
          [LOCATION_ERRORS.disabled],
        );
      });

      it("answers WORKFLOW_ENDED (step 6) before CROSS_SUBJECT_RECORD_REFERENCE (step 7)", async () => {
        const { client, account, recordId, location } = await setup();
        const other = await createBankAccount(client, await createSubjectRecord(client, account.id));
        const call = () =>
          client.call("location.addBankAccount", body(location.location_id, other.bank_account_id, ["FEES"]));
        expectErrors(await call(), 400, [BANK_ERRORS.crossRecord]);
        await endApplication(server(), client, account.id, recordId);
        expectErrors(await call(), 400, [DATA_ERRORS.ended]);
      });

      it("refuses overlapping purposes for the same bank account; of simultaneous adds exactly one wins", async () => {
        const { client, account, recordId, location, bank } = await setup();
        await addLocationBankAccount(client, location.location_id, bank.bank_account_id, ["FEES"]);
        expectErrors(
          await client.call(
            "location.addBankAccount",
            body(location.location_id, bank.bank_account_id, ["SETTLEMENT", "FEES"]),
          ),
          400,
          [LOCATION_ERRORS.duplicateBank],
        );
        const results = await Promise.all(
          Array.from({ length: 4 }, () =>
            client.call(
              "location.addBankAccount",
              body(location.location_id, bank.bank_account_id, ["SETTLEMENT"]),
            ),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [LOCATION_ERRORS.duplicateBank]);
        const added = (await entityEvents(server(), account.id, recordId)).filter(
          (e) => e.event_type === "LOCATION_BANK_ACCOUNT_ADDED",
        );
        assert.equal(added.length, 2);
      });

      it("removeBankAccount checks ENTITY_NOT_FOUND, FEATURE_NOT_ENABLED, WORKFLOW_ENDED in that order", async () => {
        const { client, account, recordId, location, bank } = await setup();
        const link = await addLocationBankAccount(client, location.location_id, bank.bank_account_id, [
          "FEES",
        ]);
        const remove = () =>
          client.call("location.removeBankAccount", {
            location_bank_account_id: link.location_bank_account_id,
          });
        await endApplication(server(), client, account.id, recordId);
        expectErrors(await remove(), 400, [DATA_ERRORS.ended]);
        await setLocationsEnabled(server(), account.id, false);
        expectErrors(await remove(), 400, [LOCATION_ERRORS.disabled]);
        expectErrors(
          await client.call("location.removeBankAccount", {
            location_bank_account_id: "lba_163Gh1ONk6BCHF9iYVDHcv",
          }),
          400,
          [notFound("Location Bank Account", "location_bank_account_id")],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential", async () => {
        const { client, account, reader } = await withReader(server());
        const recordId = await createSubjectRecord(client, account.id);
        const location = await createLocation(client, recordId);
        const bank = await createBankAccount(client, recordId);
        expectErrors(
          await reader.call(
            "location.addBankAccount",
            body(location.location_id, bank.bank_account_id, ["FEES"]),
          ),
          403,
          [ERRORS.readOnly("location.addBankAccount")],
        );
        const link = await addLocationBankAccount(client, location.location_id, bank.bank_account_id, [
          "FEES",
        ]);
        expectErrors(
          await reader.call("location.removeBankAccount", {
            location_bank_account_id: link.location_bank_account_id,
          }),
          403,
          [ERRORS.readOnly("location.removeBankAccount")],
        );
      });

      it("hides a location and its links out of sight", async () => {
        for (const { viewer, owner, accountId } of await outOfSight(server())) {
          const recordId = await createSubjectRecord(owner, accountId);
          const location = await createLocation(owner, recordId);
          const bank = await createBankAccount(owner, recordId);
          expectErrors(
            await viewer.call(
              "location.addBankAccount",
              body(location.location_id, bank.bank_account_id, ["FEES"]),
            ),
            400,
            [notFound("Location", "location_id")],
          );
          const link = await addLocationBankAccount(owner, location.location_id, bank.bank_account_id, [
            "FEES",
          ]);
          expectErrors(
            await viewer.call("location.removeBankAccount", {
              location_bank_account_id: link.location_bank_account_id,
            }),
            400,
            [notFound("Location Bank Account", "location_bank_account_id")],
          );
        }
      });
    });
  });
}
