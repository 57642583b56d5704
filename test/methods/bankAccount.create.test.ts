/**
 * bankAccount.create: the full object back, masked; BANK_ACCOUNT_CREATED; data.md §15's routing and
 * account numbers; the account's max_bank_accounts_per_subject_record, raced; the ENDED guard; who
 * may create where.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import {
  BANK_ERRORS,
  createBankAccount,
  FULL_BANK_ACCOUNT,
  getBankAccount,
  MINIMAL_BANK_ACCOUNT,
} from "../support/bank-accounts.js";
import { assertEntityEvent, DATA_ERRORS, endApplication, entityEvents, ISO_MS } from "../support/data.js";
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
  describe(`bankAccount.create [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("creates the bank account, answers it masked as bankAccount.get does, and writes BANK_ACCOUNT_CREATED", async () => {
        const { client, account } = await server().fixture({ credential: { name: "maker" } });
        const recordId = await createSubjectRecord(client, account.id);
        const created = await createBankAccount(client, recordId, FULL_BANK_ACCOUNT);
        assert.match(created.bank_account_id, /^ba_[0-9A-Za-z]{21,22}$/);
        assert.match(created.created_at, ISO_MS);
        assert.deepEqual(created, {
          bank_account_id: created.bank_account_id,
          subject_record_id: recordId,
          ...FULL_BANK_ACCOUNT,
          bank_account_number: "********6789",
          created_at: created.created_at,
          updated_at: created.created_at,
        });
        assert.deepEqual(await getBankAccount(client, created.bank_account_id), created);
        const events = await entityEvents(server(), account.id, recordId);
        assert.equal(events.length, 1);
        assertEntityEvent(
          events[0],
          {
            event_type: "BANK_ACCOUNT_CREATED",
            account_id: account.id,
            subject_record_id: recordId,
            entity_type: "Bank Account",
            entity_id: created.bank_account_id,
          },
          "maker",
        );
      });

      it("leaves optional fields unset (null or left out), and allows the same numbers twice in one record, on a PERSON record too", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id, "PERSON");
        const body = { ...MINIMAL_BANK_ACCOUNT, bank_name: null, bank_account_type: null };
        const first = await createBankAccount(client, recordId, body);
        const second = await createBankAccount(client, recordId, MINIMAL_BANK_ACCOUNT);
        assert.notEqual(first.bank_account_id, second.bank_account_id);
        for (const created of [first, second]) {
          assert.equal(created.bank_name, null);
          assert.equal(created.bank_account_type, null);
          assert.equal(created.bank_account_ownership_type, null);
          assert.equal(created.bank_routing_number, "011000015");
          assert.equal(created.bank_account_number, "****5678");
        }
      });

      it("accepts data.md §15's routing and account numbers", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        for (const routing of ["011000015", "021000021", "121000358"]) {
          const created = await createBankAccount(client, recordId, {
            ...MINIMAL_BANK_ACCOUNT,
            bank_routing_number: routing,
          });
          assert.equal(created.bank_routing_number, routing);
        }
        for (const [number, shown] of [
          ["1234", "**34"],
          ["12345678901234567", "*************4567"],
        ] as const) {
          const created = await createBankAccount(client, recordId, {
            ...MINIMAL_BANK_ACCOUNT,
            bank_account_number: number,
          });
          assert.equal(created.bank_account_number, shown);
          assert.equal(
            (await getBankAccount(client, created.bank_account_id, true)).bank_account_number,
            number,
          );
        }
      });
    });

    describe("errors", () => {
      it("refuses data.md §15's bad routing and account numbers, a missing wrapper or number, null numbers and unknown fields", async () => {
        const { client, account } = await server().fixture();
        const recordId = await createSubjectRecord(client, account.id);
        const routing = "must be a 9-digit ABA routing number with a valid check digit";
        const accountNumber = "must be 4 to 17 digits";
        const cases: [Record<string, unknown> | undefined, string, string][] = [
          [
            { ...MINIMAL_BANK_ACCOUNT, bank_routing_number: "021000022" },
            "bank_account.bank_routing_number",
            routing,
          ],
          [
            { ...MINIMAL_BANK_ACCOUNT, bank_routing_number: "000000000" },
            "bank_account.bank_routing_number",
            routing,
          ],
          [
            { ...MINIMAL_BANK_ACCOUNT, bank_routing_number: "02100002" },
            "bank_account.bank_routing_number",
            routing,
          ],
          [
            { ...MINIMAL_BANK_ACCOUNT, bank_account_number: "123" },
            "bank_account.bank_account_number",
            accountNumber,
          ],
          [
            { ...MINIMAL_BANK_ACCOUNT, bank_account_number: "123456789012345678" },
            "bank_account.bank_account_number",
            accountNumber,
          ],
          [
            { ...MINIMAL_BANK_ACCOUNT, bank_account_number: "1234-5678" },
            "bank_account.bank_account_number",
            accountNumber,
          ],
          [{ bank_account_number: "12345678" }, "bank_account.bank_routing_number", "is required"],
          [{ bank_routing_number: "011000015" }, "bank_account.bank_account_number", "is required"],
          [
            { ...MINIMAL_BANK_ACCOUNT, bank_account_number: null },
            "bank_account.bank_account_number",
            "must be string",
          ],
          [{ ...MINIMAL_BANK_ACCOUNT, iban: "x" }, "bank_account.iban", "is not a known field"],
          [undefined, "bank_account", "is required"],
        ];
        for (const [bankAccount, field, problem] of cases) {
          const body = { subject_record_id: recordId, ...(bankAccount ? { bank_account: bankAccount } : {}) };
          const result = await client.call("bankAccount.create", body as never);
          assert.equal(result.ok, false, field);
          if (!result.ok) {
            assert.equal(result.status, 400);
            assert.equal(result.errors[0]?.field, field, JSON.stringify(bankAccount));
            assert.equal(result.errors[0]?.code, "BAD_REQUEST");
            assert.equal(
              result.errors[0]?.message.startsWith(`${field} ${problem}`),
              true,
              result.errors[0]?.message,
            );
          }
        }
        assert.equal((await entityEvents(server(), account.id, recordId)).length, 0);
      });

      it("answers ENTITY_NOT_FOUND for an unknown subject record", async () => {
        const { client } = await server().fixture();
        expectErrors(
          await client.call("bankAccount.create", {
            subject_record_id: "sr_163Gh1ONk6BCHF9iYVDHcv",
            bank_account: MINIMAL_BANK_ACCOUNT,
          }),
          400,
          [notFound("Subject Record", "subject_record_id")],
        );
        expectErrors(
          await client.call("bankAccount.create", {
            subject_record_id: "b_1",
            bank_account: MINIMAL_BANK_ACCOUNT,
          }),
          400,
          [badRequest("subject_record_id", 'must match pattern "^(sr_)[0-9A-Za-z]{1,22}$"')],
        );
      });

      it("is refused with ACV MAX_BANK_ACCOUNT_LIMIT past the account's max_bank_accounts_per_subject_record", async () => {
        const { client, account } = await server().fixture({
          dataSettings: { max_bank_accounts_per_subject_record: 2 },
        });
        const recordId = await createSubjectRecord(client, account.id);
        await createBankAccount(client, recordId);
        await createBankAccount(client, recordId);
        const body = { subject_record_id: recordId, bank_account: MINIMAL_BANK_ACCOUNT };
        expectErrors(await client.call("bankAccount.create", body), 400, [BANK_ERRORS.recordLimit]);
        // Another record of the account has its own count.
        await createBankAccount(client, await createSubjectRecord(client, account.id));
      });

      it("of simultaneous creates past the limit exactly the limit's number succeed", async () => {
        const { client, account } = await server().fixture({
          dataSettings: { max_bank_accounts_per_subject_record: 3 },
        });
        const recordId = await createSubjectRecord(client, account.id);
        await createBankAccount(client, recordId);
        const body = { subject_record_id: recordId, bank_account: MINIMAL_BANK_ACCOUNT };
        const results = await Promise.all(
          Array.from({ length: 6 }, () => client.call("bankAccount.create", body)),
        );
        assert.equal(results.filter((r) => r.ok).length, 2);
        for (const loser of results.filter((r) => !r.ok)) expectErrors(loser, 400, [BANK_ERRORS.recordLimit]);
        const listed = expectOk(await client.call("bankAccount.list", { subject_record_id: recordId }));
        assert.equal(listed.bank_accounts.length, 3);
      });

      it("is refused once the record's business application has ENDED, before the limit", async () => {
        const { client, account } = await server().fixture({
          dataSettings: { max_bank_accounts_per_subject_record: 1 },
        });
        const recordId = await createSubjectRecord(client, account.id);
        await createBankAccount(client, recordId);
        await endApplication(server(), client, account.id, recordId);
        const body = { subject_record_id: recordId, bank_account: MINIMAL_BANK_ACCOUNT };
        expectErrors(await client.call("bankAccount.create", body), 400, [DATA_ERRORS.ended]);
      });
    });

    describe("authorization", () => {
      it("refuses a read-only credential with 403 PERMISSION_DENIED", async () => {
        const { client, account, reader } = await withReader(server());
        const recordId = await createSubjectRecord(client, account.id);
        const body = { subject_record_id: recordId, bank_account: MINIMAL_BANK_ACCOUNT };
        expectErrors(await reader.call("bankAccount.create", body), 403, [
          ERRORS.readOnly("bankAccount.create"),
        ]);
        assert.equal((await entityEvents(server(), account.id, recordId)).length, 0);
      });

      it("hides another organization's, an unlisted account's and a live account's subject record", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const recordId = await createSubjectRecord(owner, accountId);
          const body = { subject_record_id: recordId, bank_account: MINIMAL_BANK_ACCOUNT };
          expectErrors(await viewer.call("bankAccount.create", body), 400, [
            notFound("Subject Record", "subject_record_id"),
          ]);
          const listed = expectOk(await owner.call("bankAccount.list", { subject_record_id: recordId }));
          assert.deepEqual(listed.bank_accounts, [], name);
        }
      });
    });
  });
}
