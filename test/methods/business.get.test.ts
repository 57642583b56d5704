/**
 * business.get: the business, masked unless asked otherwise; with verbose its owners (with their
 * persons), bank-account associations (with their bank accounts) and sales info; bad and unknown
 * IDs; who may see which business.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { outOfSight, withReader } from "../support/authorization.js";
import { createSalesInfo, getBusiness, insertLinks, newBusiness } from "../support/data.js";
import { databaseKinds } from "../support/databases.js";
import { auditPayloads, UNMASK_DENIED, withMaskedCredentials } from "../support/sensitive.js";
import { useTestServer } from "../support/server.js";
import { badRequest, callUntyped, expectErrors, expectOk, notFound } from "../support/workflows.js";

for (const kind of databaseKinds()) {
  describe(`business.get [${kind}]`, () => {
    const server = useTestServer(kind);

    describe("success", () => {
      it("masks tax_id unless show_sensitive_data is true", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id, { tax_id: "123456789" });
        assert.equal((await getBusiness(client, business.business_id)).tax_id, "*****6789");
        const shown = await getBusiness(client, business.business_id, { show_sensitive_data: true });
        assert.deepEqual(shown, { ...business, tax_id: "123456789" });
        assert.deepEqual(
          await getBusiness(client, business.business_id, { show_sensitive_data: false }),
          business,
        );
      });

      it("with verbose adds owners, bank accounts and sales info; without it, none of the three keys", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        const plain = await getBusiness(client, business.business_id);
        for (const key of ["business_owners", "business_bank_accounts", "sales_info"])
          assert.equal(key in plain, false, key);
        assert.deepEqual(await getBusiness(client, business.business_id, { verbose: true }), {
          ...business,
          business_owners: [],
          business_bank_accounts: [],
          sales_info: null,
        });

        const salesInfo = await createSalesInfo(client, business.business_id, { card_brands: ["AMEX"] });
        const at = "2025-03-24T10:00:00.000Z";
        const ids = await insertLinks(
          server(),
          business,
          { owner: true, bankAccount: ["PRIMARY", "FEES"] },
          at,
        );
        const verbose = await getBusiness(client, business.business_id, { verbose: true });
        const person = {
          person_id: ids.person_id,
          subject_record_id: business.subject_record_id,
          email: null,
          first_name: "Ann",
          middle_name: null,
          last_name: null,
          date_of_birth: null,
          tax_id: "*****4321",
          citizenship: null,
          phone_number: null,
          addresses: [],
          created_at: at,
          updated_at: at,
        };
        const bankAccount = {
          bank_account_id: ids.bank_account_id,
          subject_record_id: business.subject_record_id,
          bank_account_ownership_type: null,
          bank_account_type: null,
          bank_routing_number: "011000015",
          bank_account_number: "****5678",
          bank_name: null,
          created_at: at,
          updated_at: at,
        };
        assert.deepEqual(verbose, {
          ...business,
          sales_info_id: salesInfo.sales_info_id,
          business_owners: [
            {
              business_owner_id: ids.business_owner_id,
              business_id: business.business_id,
              person_id: ids.person_id,
              ownership_type: "CONTROL_PRONG",
              ownership_percentage: 60,
              ownership_year_month: null,
              business_person_position: null,
              created_at: at,
              updated_at: at,
              person,
            },
          ],
          business_bank_accounts: [
            {
              business_bank_account_id: ids.business_bank_account_id,
              business_id: business.business_id,
              bank_account_id: ids.bank_account_id,
              bank_account_purposes: ["PRIMARY", "FEES"],
              created_at: at,
              updated_at: at,
              bank_account: bankAccount,
            },
          ],
          sales_info: salesInfo,
        });
        // show_sensitive_data reaches every nested object.
        const shown = await getBusiness(client, business.business_id, {
          verbose: true,
          show_sensitive_data: true,
        });
        assert.equal(shown.business_owners?.[0]?.person.tax_id, "987654321");
        assert.equal(shown.business_bank_accounts?.[0]?.bank_account.bank_account_number, "12345678");
      });

      it("audits an unmasked read with one SENSITIVE_DATA_ACCESSED naming each entity revealed", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id, { tax_id: "123456789" });
        const ids = await insertLinks(
          server(),
          business,
          { owner: true, bankAccount: ["PRIMARY"] },
          "2025-03-24T10:00:00.000Z",
        );
        await getBusiness(client, business.business_id, { verbose: true });
        await getBusiness(client, business.business_id, { verbose: true, show_sensitive_data: false });
        assert.deepEqual(await auditPayloads(server(), account.id), []);
        await getBusiness(client, business.business_id, { verbose: true, show_sensitive_data: true });
        assert.deepEqual(await auditPayloads(server(), account.id), [
          {
            method: "business.get",
            entities: [
              { entity_type: "Business", entity_id: business.business_id, fields: ["tax_id"] },
              { entity_type: "Person", entity_id: ids.person_id, fields: ["tax_id"] },
              {
                entity_type: "Bank Account",
                entity_id: ids.bank_account_id,
                fields: ["bank_account_number"],
              },
            ],
          },
        ]);
        // Nothing sensitive set, nothing revealed: no event.
        const bare = await newBusiness(client, account.id);
        await getBusiness(client, bare.business_id, { verbose: true, show_sensitive_data: true });
        assert.equal((await auditPayloads(server(), account.id)).length, 1);
      });

      it("shows an association without purposes as []", async () => {
        const { client, account } = await server().fixture();
        const business = await newBusiness(client, account.id);
        await insertLinks(server(), business, { bankAccount: [] }, "2025-03-24T10:00:00.000Z");
        const verbose = await getBusiness(client, business.business_id, { verbose: true });
        assert.deepEqual(
          verbose.business_bank_accounts?.map((a) => a.bank_account_purposes),
          [[]],
        );
      });
    });

    describe("errors", () => {
      it("answers ENTITY_NOT_FOUND for an unknown business and BAD_REQUEST for a malformed ID or flag", async () => {
        const { client, account } = await server().fixture();
        expectErrors(await client.call("business.get", { business_id: "b_163Gh1ONk6BCHF9iYVDHcv" }), 400, [
          notFound("Business", "business_id"),
        ]);
        expectErrors(await client.call("business.get", { business_id: "bo_163Gh1ONk6BCHF9iYVDHcv" }), 400, [
          badRequest("business_id", 'must match pattern "^(b_)[0-9A-Za-z]{1,22}$"'),
        ]);
        const { business_id } = await newBusiness(client, account.id);
        expectErrors(
          await callUntyped(client, "business.get", { business_id, show_sensitive_data: "true" }),
          400,
          [badRequest("show_sensitive_data", "must be boolean")],
        );
        expectErrors(await callUntyped(client, "business.get", { business_id, verbose: 1 }), 400, [
          badRequest("verbose", "must be boolean"),
        ]);
      });
    });

    describe("authorization", () => {
      it("a read-only credential reads", async () => {
        const { client, account, reader } = await withReader(server());
        const business = await newBusiness(client, account.id);
        assert.deepEqual(expectOk(await reader.call("business.get", { business_id: business.business_id })), {
          business,
        });
      });

      it("refuses show_sensitive_data: true from a read-only or --no-unmask credential, before the lookup", async () => {
        const { client, account, reader, masked } = await withMaskedCredentials(server());
        const business = await newBusiness(client, account.id, { tax_id: "123456789" });
        for (const viewer of [reader, masked]) {
          for (const business_id of [business.business_id, "b_163Gh1ONk6BCHF9iYVDHcv"]) {
            expectErrors(await viewer.call("business.get", { business_id, show_sensitive_data: true }), 403, [
              UNMASK_DENIED,
            ]);
          }
          assert.deepEqual(
            expectOk(
              await viewer.call("business.get", {
                business_id: business.business_id,
                show_sensitive_data: false,
              }),
            ).business,
            business,
          );
        }
        assert.deepEqual(await auditPayloads(server(), account.id), []);
      });

      it("hides another organization's, an unlisted account's and a live account's business", async () => {
        for (const { name, viewer, owner, accountId } of await outOfSight(server())) {
          const business = await newBusiness(owner, accountId);
          expectErrors(
            await viewer.call("business.get", { business_id: business.business_id, verbose: true }),
            400,
            [notFound("Business", "business_id")],
          );
          assert.deepEqual(await getBusiness(owner, business.business_id), business, name);
        }
      });
    });
  });
}
