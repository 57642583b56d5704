/**
 * business.listBankAccounts: oldest first with cursors; verbose nests each bank account, masked per
 * the flag and audited when revealing; business.removeBankAccount: the association gone with
 * BUSINESS_BANK_ACCOUNT_REMOVED, the bank account kept, PRIMARY removable; who may read or remove.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  addBankAccount,
  audits,
  createBankAccount,
  FULL_BANK_ACCOUNT,
  getBankAccount,
  listBusinessBankAccounts,
} from "../support/bank-accounts.js";
import {
  assertEntityEvent,
  DATA_ERRORS,
  endApplication,
  entityEvents,
  getBusiness,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
import { useTestServer } from "../support/server.js";
import { badRequest, ERRORS, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`business.listBankAccounts [${kind}]`, () => {
    const server = useTestServer(kind);

    it("lists the associations oldest first in pages; verbose nests the bank account, masked unless unmasked, and audits", async () => {
      const { client, account } = await server().fixture();
      const business = await newBusiness(client, account.id);
      const bank = await createBankAccount(client, business.subject_record_id, FULL_BANK_ACCOUNT);
      const links = [
        await addBankAccount(client, business.business_id, bank.bank_account_id, ["PRIMARY"]),
        await addBankAccount(client, business.business_id, bank.bank_account_id),
      ];
      const first = expectOk(
        await client.call("business.listBankAccounts", { business_id: business.business_id, limit: 1 }),
      );
      assert.deepEqual(first.business_bank_accounts, [links[0]]);
      assert.equal(first.has_more, true);
      const second = expectOk(
        await client.call("business.listBankAccounts", {
          business_id: business.business_id,
          limit: 1,
          cursor: first.next_cursor ?? "",
        }),
      );
      assert.deepEqual(second, { business_bank_accounts: [links[1]], has_more: false, next_cursor: null });
      const verbose = expectOk(
        await client.call("business.listBankAccounts", { business_id: business.business_id, verbose: true }),
      );
      assert.deepEqual(
        verbose.business_bank_accounts,
        links.map((link) => ({ ...link, bank_account: bank })),
      );
      assert.deepEqual(await audits(server(), account.id), []);
      const shown = expectOk(
        await client.call("business.listBankAccounts", {
          business_id: business.business_id,
          verbose: true,
          show_sensitive_data: true,
        }),
      );
      assert.equal(shown.business_bank_accounts[0]?.bank_account?.bank_account_number, "000123456789");
      assert.deepEqual(await audits(server(), account.id), [
        {
          method: "business.listBankAccounts",
          entities: [
            { entity_type: "Bank Account", entity_id: bank.bank_account_id, fields: ["bank_account_number"] },
          ],
        },
      ]);
      // business.get's verbose key holds the same associations.
      const full = await getBusiness(client, business.business_id, { verbose: true });
      assert.deepEqual(full.business_bank_accounts, verbose.business_bank_accounts);
    });

    it("answers ENTITY_NOT_FOUND for an unknown business; refuses unmasking to a reader or a --no-unmask credential", async () => {
      const { client, account, reader, masked } = await withMaskedCredentials(server());
      expectErrors(
        await client.call("business.listBankAccounts", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv" }),
        400,
        [notFound("Business", "business_id")],
      );
      expectErrors(
        await client.call("business.listBankAccounts", {
          business_id: "b_163Gh1ONk6BCHF9iYVDHcv",
          verbose: 1,
        } as never),
        400,
        [badRequest("verbose", "must be boolean")],
      );
      const business = await newBusiness(client, account.id);
      for (const viewer of [reader, masked]) {
        assert.deepEqual(await listBusinessBankAccounts(viewer, business.business_id), []);
        expectErrors(
          await viewer.call("business.listBankAccounts", {
            business_id: business.business_id,
            show_sensitive_data: true,
          }),
          403,
          [UNMASK_DENIED],
        );
      }
    });

    it("hides another organization's, an unlisted account's and a live account's business", async () => {
      for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
        const business = await newBusiness(owner, accountId);
        expectErrors(
          await viewer.call("business.listBankAccounts", { business_id: business.business_id }),
          400,
          [notFound("Business", "business_id")],
        );
        assert.deepEqual(await listBusinessBankAccounts(owner, business.business_id), [], name);
      }
    });
  });

  describe(`business.removeBankAccount [${kind}]`, () => {
    const server = useTestServer(kind);

    it("removes the association (PRIMARY too) with BUSINESS_BANK_ACCOUNT_REMOVED, keeping the bank account; not idempotent", async () => {
      const { client, account } = await server().fixture({ credential: { name: "remover" } });
      const business = await newBusiness(client, account.id);
      const bank = await createBankAccount(client, business.subject_record_id);
      const link = await addBankAccount(client, business.business_id, bank.bank_account_id, ["PRIMARY"]);
      const body = { business_bank_account_id: link.business_bank_account_id };
      expectOk(await client.call("business.removeBankAccount", body));
      assert.deepEqual(await listBusinessBankAccounts(client, business.business_id), []);
      await getBankAccount(client, bank.bank_account_id);
      expectErrors(await client.call("business.removeBankAccount", body), 400, [
        notFound("Business Bank Account", "business_bank_account_id"),
      ]);
      assertEntityEvent(
        (await entityEvents(server(), account.id, business.subject_record_id)).at(-1),
        {
          event_type: "BUSINESS_BANK_ACCOUNT_REMOVED",
          account_id: account.id,
          subject_record_id: business.subject_record_id,
          entity_type: "Business Bank Account",
          entity_id: link.business_bank_account_id,
          linked_entity_ids: [business.business_id, bank.bank_account_id],
        },
        "remover",
      );
      // The PRIMARY is free again, and the business may now be deleted.
      await addBankAccount(client, business.business_id, bank.bank_account_id, ["PRIMARY"]);
    });

    it("is refused once the record's business application has ENDED, and to a read-only credential", async () => {
      const { client, account, reader } = await withReader(server());
      const business = await newBusiness(client, account.id);
      const bank = await createBankAccount(client, business.subject_record_id);
      const link = await addBankAccount(client, business.business_id, bank.bank_account_id);
      const body = { business_bank_account_id: link.business_bank_account_id };
      expectErrors(await reader.call("business.removeBankAccount", body), 403, [
        ERRORS.readOnly("business.removeBankAccount"),
      ]);
      await endApplication(server(), client, account.id, business.subject_record_id);
      expectErrors(await client.call("business.removeBankAccount", body), 400, [DATA_ERRORS.ended]);
      assert.deepEqual(await listBusinessBankAccounts(client, business.business_id), [link]);
      expectErrors(
        await client.call("business.removeBankAccount", {
          business_bank_account_id: "ba_163Gh1ONk6BCHF9iYVDHcv",
        }),
        400,
        [badRequest("business_bank_account_id", 'must match pattern "^(bba_)[0-9A-Za-z]{1,22}$"')],
      );
    });

    it("hides another organization's, an unlisted account's and a live account's association", async () => {
      for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
        const business = await newBusiness(owner, accountId);
        const bank = await createBankAccount(owner, business.subject_record_id);
        const link = await addBankAccount(owner, business.business_id, bank.bank_account_id);
        expectErrors(
          await viewer.call("business.removeBankAccount", {
            business_bank_account_id: link.business_bank_account_id,
          }),
          400,
          [notFound("Business Bank Account", "business_bank_account_id")],
        );
        assert.deepEqual(await listBusinessBankAccounts(owner, business.business_id), [link], name);
      }
    });
  });
}
