/**
 * bankAccount.delete: a hard delete with BANK_ACCOUNT_DELETED; ENTITY_LINKED while linked to a
 * business (location links join with data.md part 2); not idempotent; the ENDED guard; who may delete.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { addBankAccount, BANK_ERRORS, createBankAccount, getBankAccount } from "../support/bank-accounts.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import {
  badRequest,
  createSubjectRecord,
  ERRORS,
  expectErrors,
  expectOk,
  notFound,
} from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`bankAccount.delete [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("deletes the bank account with one BANK_ACCOUNT_DELETED; a later get or delete is ENTITY_NOT_FOUND", async () => {
        const { client, account } = await server().fixture({ credential: { name: "cleaner" } });
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId);
        expectOk(await client.call("bankAccount.delete", { bank_account_id: created.bank_account_id }));
        for (const method of ["bankAccount.get", "bankAccount.delete"] as const) {
          expectErrors(await client.call(method, { bank_account_id: created.bank_account_id }), 400, [
            notFound("Bank Account", "bank_account_id"),
          ]);
        }
        expectErrors(
          await client.call("bankAccount.delete", { bank_account_id: "bba_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [badRequest("bank_account_id", 'must match pattern "^(ba_)[0-9A-Za-z]{1,22}$"')],
        );
        const events = await entityEvents(server(), account.id, recordId);
        assert.deepEqual(
          events.map((e) => e.event_type),
          ["BANK_ACCOUNT_CREATED", "BANK_ACCOUNT_DELETED"],
        );
        assertEntityEvent(
          events[1],
          {
            event_type: "BANK_ACCOUNT_DELETED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_type: "Bank Account",
            entity_id: created.bank_account_id,
          },
          "cleaner",
        );
      });
    });

    describe("errors", () => {
      it("is refused with ENTITY_LINKED while linked to a business, and succeeds once the link is removed", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const link = await addBankAccount(client, business.business_id, bank.bank_account_id, ["PRIMARY"]);
        expectErrors(
          await client.call("bankAccount.delete", { bank_account_id: bank.bank_account_id }),
          400,
          [BANK_ERRORS.linked(["business.removeBankAccount"])],
        );
        await getBankAccount(client, bank.bank_account_id);
        expectOk(
          await client.call("business.removeBankAccount", {
            business_bank_account_id: link.business_bank_account_id,
          }),
        );
        expectOk(await client.call("bankAccount.delete", { bank_account_id: bank.bank_account_id }));
      });

      it("is refused once the record's business application has ENDED, before ENTITY_LINKED", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        await addBankAccount(client, business.business_id, bank.bank_account_id);
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(
          await client.call("bankAccount.delete", { bank_account_id: bank.bank_account_id }),
          400,
          [DATA_ERRORS.ended],
        );
      });

      it("of a delete racing an add, one wins: the add's loser is ENTITY_NOT_FOUND, the delete's ENTITY_LINKED", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const [added, deleted] = await Promise.all([
          client.call("business.addBankAccount", {
            business_id: business.business_id,
            business_bank_account: { bank_account_id: bank.bank_account_id },
          }),
          client.call("bankAccount.delete", { bank_account_id: bank.bank_account_id }),
        ]);
        assert.equal(added.ok !== deleted.ok, true);
        if (!added.ok)
          expectErrors(added, 400, [notFound("Bank Account", "business_bank_account.bank_account_id")]);
        if (!deleted.ok) expectErrors(deleted, 400, [BANK_ERRORS.linked(["business.removeBankAccount"])]);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        const created = await createBankAccount(client, await createSubjectRecord(client, account.id));
        expectErrors(
          await reader.call("bankAccount.delete", { bank_account_id: created.bank_account_id }),
          403,
          [ERRORS.readOnly("bankAccount.delete")],
        );
        await getBankAccount(client, created.bank_account_id);
      });

      it("hides another organization's, an unlisted account's and a live account's bank account", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const created = await createBankAccount(owner, await createSubjectRecord(owner, accountId));
          expectErrors(
            await viewer.call("bankAccount.delete", { bank_account_id: created.bank_account_id }),
            400,
            [notFound("Bank Account", "bank_account_id")],
          );
          assert.deepEqual(await getBankAccount(owner, created.bank_account_id), created, name);
        }
      });
    });
  });
}
