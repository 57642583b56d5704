/**
 * business.updateBankAccount: only bank_account_purposes (null or [] empties it), judged against the
 * business's other associations; BUSINESS_BANK_ACCOUNT_UPDATED with linked_entity_ids and fields;
 * steps 3 → 4 → 6 → 9; the race for PRIMARY; who may update.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  addBankAccount,
  BANK_ERRORS,
  createBankAccount,
  listBusinessBankAccounts,
} from "../support/bank-accounts.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { badRequest, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

const update = (id: string, purposes?: string[] | null) => ({
  business_bank_account_id: id,
  ...(purposes === undefined ? {} : { business_bank_account: { bank_account_purposes: purposes } }),
});

for (const kind of databaseKinds()) {
  describe(`business.updateBankAccount [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("replaces the purposes in the order given, moves updated_at, and writes BUSINESS_BANK_ACCOUNT_UPDATED", async () => {
        const { client, account } = await server().fixture({
          credential: { name: "editor" },
          dataSettings: { bank_account_purposes: ["PAYROLL"] },
        });
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id, ["FEES"]);
        expectOk(
          await client.call(
            "business.updateBankAccount",
            update(link.business_bank_account_id, ["PAYROLL", "PRIMARY"]),
          ),
        );
        const [after] = await listBusinessBankAccounts(client, business.business_id);
        assert.deepEqual(after, {
          ...link,
          bank_account_purposes: ["PAYROLL", "PRIMARY"],
          updated_at: after?.updated_at,
        });
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assertEntityEvent(
          events.at(-1),
          {
            event_type: "BUSINESS_BANK_ACCOUNT_UPDATED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Business Bank Account",
            entity_id: link.business_bank_account_id,
            linked_entity_ids: [business.business_id, bank.bank_account_id],
            fields: ["bank_account_purposes"],
          },
          "editor",
        );
        for (const emptied of [null, []]) {
          expectOk(
            await client.call("business.updateBankAccount", update(link.business_bank_account_id, emptied)),
          );
          assert.deepEqual(
            (await listBusinessBankAccounts(client, business.business_id))[0]?.bank_account_purposes,
            [],
          );
        }
      });

      it("changes nothing and writes no event for an absent or empty wrapper", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id, ["FEES"]);
        const before = await entityEvents(server(), account.id, business.subject_record_id);
        expectOk(await client.call("business.updateBankAccount", update(link.business_bank_account_id)));
        expectOk(
          await client.call("business.updateBankAccount", {
            business_bank_account_id: link.business_bank_account_id,
            business_bank_account: {},
          }),
        );
        assert.deepEqual(await listBusinessBankAccounts(client, business.business_id), [link]);
        assert.equal(
          (await entityEvents(server(), account.id, business.subject_record_id)).length,
          before.length,
        );
      });

      it("keeping its own PRIMARY is not a second PRIMARY", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id, ["PRIMARY"]);
        expectOk(
          await client.call(
            "business.updateBankAccount",
            update(link.business_bank_account_id, ["FEES", "PRIMARY"]),
          ),
        );
      });
    });

    describe("errors", () => {
      it("refuses bank_account_id (not updatable) and repeated purposes at step 1; then ENTITY_NOT_FOUND; then a purpose outside the set", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id);
        const unknown = "bba_163Gh1ONk6BCHF9iYVDHcv";
        expectErrors(
          await client.call("business.updateBankAccount", {
            business_bank_account_id: unknown,
            business_bank_account: { bank_account_id: bank.bank_account_id },
          } as never),
          400,
          [badRequest("business_bank_account.bank_account_id", "is not a known field")],
        );
        expectErrors(
          await client.call("business.updateBankAccount", update(unknown, ["FEES", "FEES"])),
          400,
          [badRequest("business_bank_account.bank_account_purposes[1]", "repeats the value of item 0")],
        );
        expectErrors(await client.call("business.updateBankAccount", update(unknown, ["PAYROLL"])), 400, [
          notFound("Business Bank Account", "business_bank_account_id"),
        ]);
        expectErrors(
          await client.call("business.updateBankAccount", update(link.business_bank_account_id, ["PAYROLL"])),
          400,
          [
            badRequest(
              "business_bank_account.bank_account_purposes[0]",
              "must be one of PRIMARY, FEES, SETTLEMENT",
            ),
          ],
        );
      });

      it("judges DUPLICATE and SINGLE_PRIMARY against the business's other associations", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const other = await createBankAccount(client, business.subject_record_id);
        await addBankAccount(client, business.business_id, other.bank_account_id, ["PRIMARY"]);
        await addBankAccount(client, business.business_id, bank.bank_account_id, ["FEES"]);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id);
        expectErrors(
          await client.call("business.updateBankAccount", update(link.business_bank_account_id, ["FEES"])),
          400,
          [BANK_ERRORS.duplicate],
        );
        expectErrors(
          await client.call("business.updateBankAccount", update(link.business_bank_account_id, ["PRIMARY"])),
          400,
          [BANK_ERRORS.singlePrimary],
        );
        assert.deepEqual(
          (await listBusinessBankAccounts(client, business.business_id)).map((a) => a.bank_account_purposes),
          [["PRIMARY"], ["FEES"], []],
        );
      });

      it("of simultaneous updates to PRIMARY exactly one wins", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const links = [];
        for (let i = 0; i < 4; i++) {
          const bank = await createBankAccount(client, business.subject_record_id);
          links.push(await addBankAccount(client, business.business_id, bank.bank_account_id, ["FEES"]));
        }
        const results = await Promise.all(
          links.map((link) =>
            client.call("business.updateBankAccount", update(link.business_bank_account_id, ["PRIMARY"])),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [BANK_ERRORS.singlePrimary]);
        const purposes = (await listBusinessBankAccounts(client, business.business_id)).map(
          (a) => a.bank_account_purposes,
        );
        assert.equal(purposes.filter((p) => p.includes("PRIMARY")).length, 1);
      });

      it("is refused once the record's business application has ENDED", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id);
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(
          await client.call("business.updateBankAccount", update(link.business_bank_account_id, ["PRIMARY"])),
          400,
          [DATA_ERRORS.ended],
        );
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id);
        expectErrors(
          await reader.call("business.updateBankAccount", update(link.business_bank_account_id, ["FEES"])),
          403,
          [ERRORS.readOnly("business.updateBankAccount")],
        );
      });

      it("hides another organization's, an unlisted account's and a live account's association", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          const bank = await createBankAccount(owner, business.subject_record_id);
          const link = await addBankAccount(owner, business.business_id, bank.bank_account_id);
          expectErrors(
            await viewer.call("business.updateBankAccount", update(link.business_bank_account_id, ["FEES"])),
            400,
            [notFound("Business Bank Account", "business_bank_account_id")],
          );
          assert.deepEqual(await listBusinessBankAccounts(owner, business.business_id), [link], name);
        }
      });
    });
  });
}
