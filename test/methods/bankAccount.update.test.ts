/**
 * bankAccount.update: §2.3 semantics (null unsets an optional field; the routing and account numbers
 * may change but not be null), BANK_ACCOUNT_UPDATED with the fields given, no event for an empty
 * wrapper; the ENDED guard; who may update.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { createBankAccount, FULL_BANK_ACCOUNT, getBankAccount } from "../support/bank-accounts.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents } from "../support/data.js";
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
  describe(`bankAccount.update [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("replaces the fields given, unsets those given null, and writes BANK_ACCOUNT_UPDATED naming them", async () => {
        const { client, account } = await server().fixture({ credential: { name: "editor" } });
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId, FULL_BANK_ACCOUNT);
        const bank_account = {
          bank_name: null,
          bank_account_number: "98765432",
          bank_routing_number: "121000358",
        };
        expectOk(
          await client.call("bankAccount.update", { bank_account_id: created.bank_account_id, bank_account }),
        );
        const after = await getBankAccount(client, created.bank_account_id, true);
        assert.deepEqual(after, {
          ...created,
          bank_name: null,
          bank_account_number: "98765432",
          bank_routing_number: "121000358",
          updated_at: after.updated_at,
        });
        assert.ok(after.updated_at >= created.updated_at);
        const events = await entityEvents(server(), account.id, recordId);
        assertEntityEvent(
          events.at(-1),
          {
            event_type: "BANK_ACCOUNT_UPDATED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_type: "Bank Account",
            entity_id: created.bank_account_id,
            fields: ["bank_account_number", "bank_name", "bank_routing_number"],
          },
          "editor",
        );
      });

      it("changes nothing and writes no event for an absent or empty wrapper", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId);
        expectOk(await client.call("bankAccount.update", { bank_account_id: created.bank_account_id }));
        expectOk(
          await client.call("bankAccount.update", {
            bank_account_id: created.bank_account_id,
            bank_account: {},
          }),
        );
        assert.deepEqual(await getBankAccount(client, created.bank_account_id), created);
        assert.equal((await entityEvents(server(), account.id, recordId)).length, 1);
      });
    });

    describe("errors", () => {
      it("refuses null routing or account numbers, bad values and unknown fields, changing nothing", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId);
        const id = created.bank_account_id;
        const cases: [Record<string, unknown>, string, string][] = [
          [{ bank_routing_number: null }, "bank_account.bank_routing_number", "must be string"],
          [{ bank_account_number: null }, "bank_account.bank_account_number", "must be string"],
          [
            { bank_routing_number: "021000022" },
            "bank_account.bank_routing_number",
            "must be a 9-digit ABA routing number with a valid check digit",
          ],
          [{ bank_account_number: "123" }, "bank_account.bank_account_number", "must be 4 to 17 digits"],
          [
            { bank_account_type: "BROKERAGE" },
            "bank_account.bank_account_type",
            "must be one of CHECKING, SAVINGS",
          ],
          [{ subject_record_id: recordId }, "bank_account.subject_record_id", "is not a known field"],
        ];
        for (const [bank_account, field, problem] of cases) {
          expectErrors(
            await client.call("bankAccount.update", { bank_account_id: id, bank_account } as never),
            400,
            [badRequest(field, problem)],
          );
        }
        expectErrors(
          await client.call("bankAccount.update", { bank_account_id: "ba_163Gh1ONk6BCHF9iYVDHcv" }),
          400,
          [notFound("Bank Account", "bank_account_id")],
        );
        assert.deepEqual(await getBankAccount(client, id), created);
      });

      it("is refused once the record's business application has ENDED, even with an empty wrapper", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId);
        await endApplication(server(), client, account.id, recordId);
        for (const bank_account of [{}, { bank_name: "Other" }]) {
          expectErrors(
            await client.call("bankAccount.update", {
              bank_account_id: created.bank_account_id,
              bank_account,
            }),
            400,
            [DATA_ERRORS.ended],
          );
        }
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        const created = await createBankAccount(client, await createSubjectRecord(client, account.id));
        expectErrors(
          await reader.call("bankAccount.update", {
            bank_account_id: created.bank_account_id,
            bank_account: { bank_name: "X" },
          }),
          403,
          [ERRORS.readOnly("bankAccount.update")],
        );
        assert.deepEqual(await getBankAccount(client, created.bank_account_id), created);
      });

      it("hides another organization's, an unlisted account's and a live account's bank account", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const created = await createBankAccount(owner, await createSubjectRecord(owner, accountId));
          expectErrors(
            await viewer.call("bankAccount.update", {
              bank_account_id: created.bank_account_id,
              bank_account: { bank_name: "X" },
            }),
            400,
            [notFound("Bank Account", "bank_account_id")],
          );
          assert.deepEqual(await getBankAccount(owner, created.bank_account_id), created, name);
        }
      });
    });
  });
}
