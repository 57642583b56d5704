/**
 * business.addBankAccount: the association back with its purposes in the order given;
 * BUSINESS_BANK_ACCOUNT_ADDED with linked_entity_ids; purposes judged at step 1 (enum tokens, no
 * repeats) and step 4 (the account's set, extras included); XSR; DUPLICATE_BANK_ACCOUNT_ASSOCIATION
 * ("none" a purpose too); SINGLE_PRIMARY_BANK_ACCOUNT; the per-business limit; races; who may link.
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
  ISO_MS,
  newBusiness,
} from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { useTestServer } from "../support/server.js";
import { badRequest, createSubjectRecord, ERRORS, expectErrors, notFound } from "../support/workflows.js";

const body = (businessId: string, bankAccountId: string, purposes?: string[]) => ({
  business_id: businessId,
  business_bank_account: {
    bank_account_id: bankAccountId,
    ...(purposes === undefined ? {} : { bank_account_purposes: purposes }),
  },
});

for (const kind of databaseKinds()) {
  describe(`business.addBankAccount [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("links the bank account with its purposes in the order given, and writes BUSINESS_BANK_ACCOUNT_ADDED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "linker" } });
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const added = await addBankAccount(client, business.business_id, bank.bank_account_id, [
          "SETTLEMENT",
          "PRIMARY",
        ]);
        assert.match(added.business_bank_account_id, /^bba_[0-9A-Za-z]{21,22}$/);
        assert.match(added.created_at, ISO_MS);
        assert.deepEqual(added, {
          business_bank_account_id: added.business_bank_account_id,
          business_id: business.business_id,
          bank_account_id: bank.bank_account_id,
          bank_account_purposes: ["SETTLEMENT", "PRIMARY"],
          created_at: added.created_at,
          updated_at: added.created_at,
        });
        assert.deepEqual(await listBusinessBankAccounts(client, business.business_id), [added]);
        const events = await entityEvents(server(), account.id, business.subject_record_id);
        assertEntityEvent(
          events.at(-1),
          {
            event_type: "BUSINESS_BANK_ACCOUNT_ADDED",
            account_id: account.id,
            subject_record_id: business.subject_record_id,
            entity_type: "Business Bank Account",
            entity_id: added.business_bank_account_id,
            linked_entity_ids: [business.business_id, bank.bank_account_id],
          },
          "linker",
        );
      });

      it("links one bank account several times with disjoint purposes; no purposes is [] and counts once", async () => {
        const { client, account } = await server().fixture({
          dataSettings: { bank_account_purposes: ["PAYROLL"] },
        });
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const none = await addBankAccount(client, business.business_id, bank.bank_account_id);
        assert.deepEqual(none.bank_account_purposes, []);
        await addBankAccount(client, business.business_id, bank.bank_account_id, ["PRIMARY", "FEES"]);
        await addBankAccount(client, business.business_id, bank.bank_account_id, ["PAYROLL"]);
        expectErrors(
          await client.call("business.addBankAccount", body(business.business_id, bank.bank_account_id, [])),
          400,
          [BANK_ERRORS.duplicate],
        );
        assert.deepEqual(
          (await listBusinessBankAccounts(client, business.business_id)).map((a) => a.bank_account_purposes),
          [[], ["PRIMARY", "FEES"], ["PAYROLL"]],
        );
      });
    });

    describe("errors", () => {
      it("refuses malformed purposes at step 1, before ENTITY_NOT_FOUND", async () => {
        const { client } = await server().fixture();
        const unknownBusiness = "b_163Gh1ONk6BCHF9iYVDHcv";
        const unknownBank = "ba_163Gh1ONk6BCHF9iYVDHcv";
        const path = "business_bank_account.bank_account_purposes";
        expectErrors(
          await client.call("business.addBankAccount", body(unknownBusiness, unknownBank, ["FEES", "FEES"])),
          400,
          [badRequest(`${path}[1]`, "repeats the value of item 0")],
        );
        expectErrors(
          await client.call("business.addBankAccount", body(unknownBusiness, unknownBank, ["fees"])),
          400,
          [
            badRequest(
              `${path}[0]`,
              "must be an upper-case token: a letter, then up to 49 letters, digits or underscores",
            ),
          ],
        );
        const eleven = Array.from({ length: 11 }, (_, i) => `P${i}`);
        const result = await client.call(
          "business.addBankAccount",
          body(unknownBusiness, unknownBank, eleven),
        );
        assert.equal(result.ok, false);
        if (!result.ok) assert.equal(result.errors[0]?.field, path);
        expectErrors(
          await client.call("business.addBankAccount", { business_id: unknownBusiness } as never),
          400,
          [badRequest("business_bank_account", "is required")],
        );
      });

      it("answers ENTITY_NOT_FOUND on business_id, then on bank_account_id, then a purpose outside the account's set (step 4)", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        const unknownBank = "ba_163Gh1ONk6BCHF9iYVDHcv";
        expectErrors(
          await client.call(
            "business.addBankAccount",
            body("b_163Gh1ONk6BCHF9iYVDHcv", unknownBank, ["PAYROLL"]),
          ),
          400,
          [notFound("Business", "business_id")],
        );
        expectErrors(
          await client.call("business.addBankAccount", body(business.business_id, unknownBank, ["PAYROLL"])),
          400,
          [notFound("Bank Account", "business_bank_account.bank_account_id")],
        );
        expectErrors(
          await client.call(
            "business.addBankAccount",
            body(business.business_id, bank.bank_account_id, ["FEES", "PAYROLL"]),
          ),
          400,
          [
            badRequest(
              "business_bank_account.bank_account_purposes[1]",
              "must be one of PRIMARY, FEES, SETTLEMENT",
            ),
          ],
        );
      });

      it("is refused with WORKFLOW_ENDED (step 6) before CROSS_SUBJECT_RECORD_REFERENCE (step 7)", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const other = await createBankAccount(client, await createSubjectRecord(client, account.id));
        expectErrors(
          await client.call("business.addBankAccount", body(business.business_id, other.bank_account_id)),
          400,
          [BANK_ERRORS.crossRecord],
        );
        await endApplication(server(), client, account.id, business.subject_record_id);
        expectErrors(
          await client.call("business.addBankAccount", body(business.business_id, other.bank_account_id)),
          400,
          [DATA_ERRORS.ended],
        );
      });

      it("answers XSR for a bank account of another visible account", async () => {
        const fixture = await server().fixture();
        const business = await newBusiness(fixture.client, fixture.account.id);
        const otherAccount = await server().operator.createAccount({
          organizationId: fixture.organization.id,
          environment: "sandbox",
        });
        const bank = await createBankAccount(
          fixture.client,
          await createSubjectRecord(fixture.client, otherAccount.id),
        );
        expectErrors(
          await fixture.client.call(
            "business.addBankAccount",
            body(business.business_id, bank.bank_account_id),
          ),
          400,
          [BANK_ERRORS.crossRecord],
        );
      });

      it("refuses a second PRIMARY with SINGLE_PRIMARY_BANK_ACCOUNT; DUPLICATE comes first", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const first = await createBankAccount(client, business.subject_record_id);
        const second = await createBankAccount(client, business.subject_record_id);
        await addBankAccount(client, business.business_id, first.bank_account_id, ["PRIMARY"]);
        expectErrors(
          await client.call(
            "business.addBankAccount",
            body(business.business_id, second.bank_account_id, ["FEES", "PRIMARY"]),
          ),
          400,
          [BANK_ERRORS.singlePrimary],
        );
        expectErrors(
          await client.call(
            "business.addBankAccount",
            body(business.business_id, first.bank_account_id, ["PRIMARY"]),
          ),
          400,
          [BANK_ERRORS.duplicate],
        );
        // A PRIMARY of another business does not count.
        const otherBusiness = await newBusiness(client, account.id);
        const otherBank = await createBankAccount(client, otherBusiness.subject_record_id);
        await addBankAccount(client, otherBusiness.business_id, otherBank.bank_account_id, ["PRIMARY"]);
      });

      it("is refused with ACV(Business/MAX_BANK_ACCOUNT_LIMIT) past max_bank_accounts_per_business, after the step-9 rules", async () => {
        const { client, account } = await server().fixture({
          dataSettings: { max_bank_accounts_per_business: 2 },
        });
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        await addBankAccount(client, business.business_id, bank.bank_account_id, ["PRIMARY"]);
        await addBankAccount(client, business.business_id, bank.bank_account_id, ["FEES"]);
        expectErrors(
          await client.call(
            "business.addBankAccount",
            body(business.business_id, bank.bank_account_id, ["FEES"]),
          ),
          400,
          [BANK_ERRORS.duplicate],
        );
        expectErrors(
          await client.call(
            "business.addBankAccount",
            body(business.business_id, bank.bank_account_id, ["SETTLEMENT"]),
          ),
          400,
          [BANK_ERRORS.businessLimit],
        );
      });

      it("of simultaneous PRIMARY adds exactly one wins; the others get SINGLE_PRIMARY or DUPLICATE", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const banks = await Promise.all(
          Array.from({ length: 3 }, () => createBankAccount(client, business.subject_record_id)),
        );
        const calls = [...banks, ...banks].map((bank) =>
          client.call(
            "business.addBankAccount",
            body(business.business_id, bank.bank_account_id, ["PRIMARY"]),
          ),
        );
        const results = await Promise.all(calls);
        assert.equal(results.filter((r) => r.ok).length, 1);
        for (const loser of results) {
          if (loser.ok) continue;
          assert.ok(
            [BANK_ERRORS.singlePrimary.sub_code, BANK_ERRORS.duplicate.sub_code].includes(
              loser.errors[0]?.sub_code as string,
            ),
          );
        }
        const listed = await listBusinessBankAccounts(client, business.business_id);
        assert.deepEqual(
          listed.map((a) => a.bank_account_purposes),
          [["PRIMARY"]],
        );
        const added = (await entityEvents(server(), account.id, business.subject_record_id)).filter(
          (e) => e.event_type === "BUSINESS_BANK_ACCOUNT_ADDED",
        );
        assert.equal(added.length, 1);
      });

      it("of simultaneous adds past the per-business limit exactly the limit's number succeed", async () => {
        const { client, account } = await server().fixture({
          dataSettings: { max_bank_accounts_per_business: 3 },
        });
        const business = await newBusiness(client, account.id);
        const banks = await Promise.all(
          Array.from({ length: 6 }, () => createBankAccount(client, business.subject_record_id)),
        );
        const results = await Promise.all(
          banks.map((bank) =>
            client.call("business.addBankAccount", body(business.business_id, bank.bank_account_id)),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 3);
        for (const loser of results.filter((r) => !r.ok))
          expectErrors(loser, 400, [BANK_ERRORS.businessLimit]);
        assert.equal((await listBusinessBankAccounts(client, business.business_id)).length, 3);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        const bank = await createBankAccount(client, business.subject_record_id);
        expectErrors(
          await reader.call("business.addBankAccount", body(business.business_id, bank.bank_account_id)),
          403,
          [ERRORS.readOnly("business.addBankAccount")],
        );
        assert.deepEqual(await listBusinessBankAccounts(client, business.business_id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's business", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          const bank = await createBankAccount(owner, business.subject_record_id);
          expectErrors(
            await viewer.call("business.addBankAccount", body(business.business_id, bank.bank_account_id)),
            400,
            [notFound("Business", "business_id")],
          );
          assert.deepEqual(await listBusinessBankAccounts(owner, business.business_id), [], name);
        }
      });
    });
  });
}
