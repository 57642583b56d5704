/**
 * bankAccount.get and bankAccount.list: masked unless show_sensitive_data, audited when revealing;
 * the list oldest first with cursors; who may read, and who may unmask.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight } from "../support/authorization.js";
import {
  audits,
  createBankAccount,
  FULL_BANK_ACCOUNT,
  getBankAccount,
  masked,
} from "../support/bank-accounts.js";
import { databaseKinds } from "../support/databases.js";
import { UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
import { useTestServer } from "../support/server.js";
import { badRequest, createSubjectRecord, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`bankAccount.get and bankAccount.list [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("masks bank_account_number unless show_sensitive_data is true, and audits the unmasked read", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId, FULL_BANK_ACCOUNT);
        assert.equal(
          (await getBankAccount(client, created.bank_account_id)).bank_account_number,
          "********6789",
        );
        await getBankAccount(client, created.bank_account_id, false);
        assert.deepEqual(await audits(server(), account.id), []);
        const shown = await getBankAccount(client, created.bank_account_id, true);
        assert.deepEqual(shown, { ...created, bank_account_number: "000123456789" });
        assert.deepEqual(await audits(server(), account.id), [
          {
            method: "bankAccount.get",
            entities: [
              {
                entity_type: "Bank Account",
                entity_id: created.bank_account_id,
                fields: ["bank_account_number"],
              },
            ],
          },
        ]);
      });

      it("lists a record's bank accounts oldest first, in pages, masked per the flag, audited once per page that reveals", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const numbers = ["1111", "22222222", "333333333"];
        const created = [];
        for (const number of numbers)
          created.push(
            await createBankAccount(client, recordId, { ...FULL_BANK_ACCOUNT, bank_account_number: number }),
          );
        await createBankAccount(client, await createSubjectRecord(client, account.id));
        const first = expectOk(
          await client.call("bankAccount.list", { subject_record_id: recordId, limit: 2 }),
        );
        assert.deepEqual(first.bank_accounts, created.slice(0, 2));
        assert.equal(first.has_more, true);
        const rest = expectOk(
          await client.call("bankAccount.list", {
            subject_record_id: recordId,
            limit: 2,
            cursor: first.next_cursor ?? "",
            show_sensitive_data: true,
          }),
        );
        assert.deepEqual(rest.bank_accounts, [{ ...created[2], bank_account_number: "333333333" }]);
        assert.deepEqual(rest.has_more, false);
        assert.equal(rest.next_cursor, null);
        assert.deepEqual(
          created.map((c) => c.bank_account_number),
          numbers.map(masked),
        );
        assert.deepEqual(await audits(server(), account.id), [
          {
            method: "bankAccount.list",
            entities: [
              {
                entity_type: "Bank Account",
                entity_id: created[2]?.bank_account_id,
                fields: ["bank_account_number"],
              },
            ],
          },
        ]);
        const empty = expectOk(
          await client.call("bankAccount.list", {
            subject_record_id: await createSubjectRecord(client, account.id),
            show_sensitive_data: true,
          }),
        );
        assert.deepEqual(empty, { bank_accounts: [], has_more: false, next_cursor: null });
        assert.equal((await audits(server(), account.id)).length, 1);
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for unknown IDs, BAD_REQUEST for malformed ones, a foreign cursor or a non-boolean flag", async () => {
        const { client, account } = await server().fixture();
        expectErrors(
          await client.call("bankAccount.get", { bank_account_id: "ba_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Bank Account", "bank_account_id")],
        );
        expectErrors(
          await client.call("bankAccount.list", { subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
        expectErrors(
          await client.call("bankAccount.get", { bank_account_id: "b_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [badRequest("bank_account_id", 'must match pattern "^(ba_)[0-9A-Za-z]{1,22}$"')],
        );
        const recordId = await createSubjectRecord(client, account.id);
        expectErrors(
          await client.call("bankAccount.get", {
            bank_account_id: "ba_163Gh1ONk6BCHF9iYVDHcv",
            show_sensitive_data: "yes",
          } as never),
          400,
          [badRequest("show_sensitive_data", "must be boolean")],
        );
        const other = await createSubjectRecord(client, account.id);
        await createBankAccount(client, other);
        await createBankAccount(client, other);
        const page = expectOk(await client.call("bankAccount.list", { subject_record_id: other, limit: 1 }));
        expectErrors(
          await client.call("bankAccount.list", {
            subject_record_id: recordId,
            cursor: page.next_cursor ?? "",
          }),
          400,
          [badRequest("cursor", "is not a cursor this server issued")],
        );
      });
    });

    describe("authorization", () => {
      it("a read-only or --no-unmask credential reads masked, and is refused show_sensitive_data: true before the lookup", async () => {
        const { client, account, reader, masked: noUnmask } = await withMaskedCredentials(server());
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId);
        for (const viewer of [reader, noUnmask]) {
          assert.deepEqual(await getBankAccount(viewer, created.bank_account_id), created);
          expectErrors(
            await viewer.call("bankAccount.get", {
              bank_account_id: created.bank_account_id,
              show_sensitive_data: true,
            }),
            403,
            [UNMASK_DENIED],
          );
          expectErrors(
            await viewer.call("bankAccount.get", {
              bank_account_id: "ba_163Gh1ONk6BCHF9iYVDHcv",
              show_sensitive_data: true,
            }),
            403,
            [UNMASK_DENIED],
          );
          expectErrors(
            await viewer.call("bankAccount.list", { subject_record_id: recordId, show_sensitive_data: true }),
            403,
            [UNMASK_DENIED],
          );
        }
        assert.deepEqual(await audits(server(), account.id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's bank accounts", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const recordId = await createSubjectRecord(owner, accountId);
          const created = await createBankAccount(owner, recordId);
          expectErrors(
            await viewer.call("bankAccount.get", { bank_account_id: created.bank_account_id }),
            400,
            [notFound("Bank Account", "bank_account_id")],
          );
          expectErrors(await viewer.call("bankAccount.list", { subject_record_id: recordId }), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          assert.deepEqual(await getBankAccount(owner, created.bank_account_id), created, name);
        }
      });
    });
  });
}
