/**
 * The completion requirements (data.md §14) judged on real subject-record data, through the API on
 * both databases: the spec's example, each default key met as its data is added, every optional
 * key, complete refused with canComplete's items, and a data write racing workflow.complete.
 * Owners and bank accounts are inserted past the API until their methods exist (support/data.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VettedClient } from "@vetted/client";
import { onboardSampleMerchant } from "../src/cli/sample-merchant.js";
import {
  COMPLETION_REQUIREMENT_KEYS,
  DEFAULT_COMPLETION_REQUIREMENTS,
} from "../src/domain/completion-requirements.js";
import type { MissingRequirement } from "../src/errors.js";
import {
  createBusiness,
  createSalesInfo,
  DATA_ERRORS,
  FULL_BUSINESS,
  getBusiness,
  insertLinks,
} from "./support/data.js";
import { databaseKinds } from "./support/databases.js";
import type { TestServer } from "./support/server.js";
import { useTestServer } from "./support/server.js";
import { executeSql } from "./support/sql.js";
import { createApplication, expectErrors, expectOk, getWorkflow, workflowsOf } from "./support/workflows.js";

const ADULT_BIRTH_DATE = "1980-05-17";

const REQUIRED = {
  business: {
    requirement: "BUSINESS",
    code: "ENTITY_REQUIRED",
    entity_type: "Business",
    entity_id: null,
    message: "A business is required.",
    related_methods: ["business.create"],
  },
  businessFields: (businessId: string, fields: string[]) => ({
    requirement: "BUSINESS_FIELDS",
    code: "FIELDS_REQUIRED",
    entity_type: "Business",
    entity_id: businessId,
    message: "The business lacks required fields.",
    related_methods: ["business.update"],
    fields,
  }),
  controlProngOwner: {
    requirement: "CONTROL_PRONG_OWNER",
    code: "ENTITY_REQUIRED",
    entity_type: "Business Owner",
    entity_id: null,
    message: "A control-prong owner aged 18 or over is required.",
    related_methods: ["business.addOwner", "business.updateOwner"],
  },
  controlProngBirthDate: (personId: string) => ({
    requirement: "CONTROL_PRONG_OWNER",
    code: "FIELDS_REQUIRED",
    entity_type: "Person",
    entity_id: personId,
    message: "The control-prong owner's date of birth is required.",
    related_methods: ["person.update"],
    fields: ["date_of_birth"],
  }),
  primaryBankAccount: {
    requirement: "PRIMARY_BANK_ACCOUNT",
    code: "ENTITY_REQUIRED",
    entity_type: "Business Bank Account",
    entity_id: null,
    message: "A bank account with purpose PRIMARY is required.",
    related_methods: ["bankAccount.create", "business.addBankAccount", "business.updateBankAccount"],
  },
  salesInfo: {
    requirement: "SALES_INFO",
    code: "ENTITY_REQUIRED",
    entity_type: "Sales Info",
    entity_id: null,
    message: "Sales information is required.",
    related_methods: ["business.salesInfo.create"],
  },
  ownerFields: (personId: string, fields: string[]) => ({
    requirement: "OWNER_FIELDS",
    code: "FIELDS_REQUIRED",
    entity_type: "Person",
    entity_id: personId,
    message: "The owner lacks required fields.",
    related_methods: ["person.update"],
    fields,
  }),
  ownerAddress: (personId: string) => ({
    requirement: "OWNER_ADDRESS",
    code: "FIELDS_REQUIRED",
    entity_type: "Person",
    entity_id: personId,
    message: "The owner lacks a complete residential address.",
    related_methods: ["person.update"],
    fields: ["addresses.RESIDENTIAL"],
  }),
  primaryBankAccountFields: (bankAccountId: string, fields: string[]) => ({
    requirement: "PRIMARY_BANK_ACCOUNT_FIELDS",
    code: "FIELDS_REQUIRED",
    entity_type: "Bank Account",
    entity_id: bankAccountId,
    message: "The primary bank account lacks required fields.",
    related_methods: ["bankAccount.update"],
    fields,
  }),
  salesInfoFields: (salesInfoId: string, fields: string[]) => ({
    requirement: "SALES_INFO_FIELDS",
    code: "FIELDS_REQUIRED",
    entity_type: "Sales Info",
    entity_id: salesInfoId,
    message: "The sales information lacks required fields.",
    related_methods: ["business.salesInfo.update"],
    fields,
  }),
};

async function missing(client: VettedClient, workflowId: string): Promise<unknown[]> {
  const answer = expectOk(await client.call("workflow.canComplete", { workflow_id: workflowId }));
  if (answer.can_complete) {
    assert.deepEqual(answer, { can_complete: true });
    return [];
  }
  assert.ok(answer.missing_requirements && answer.missing_requirements.length > 0);
  return answer.missing_requirements;
}

/** Sets a person's columns past the API (person.update is not written yet). */
async function setPerson(server: TestServer, personId: string, columns: Record<string, unknown>) {
  const names = Object.keys(columns);
  const set = names.map((name, i) => `${name} = $${i + 1}`).join(", ");
  await executeSql(server.database, [
    [`update person set ${set} where id = $${names.length + 1}`, [...Object.values(columns), personId]],
  ]);
}

/** Sets a bank account's columns past the API (bankAccount.update is not written yet). */
async function setBankAccount(server: TestServer, bankAccountId: string, columns: Record<string, unknown>) {
  const names = Object.keys(columns);
  const set = names.map((name, i) => `${name} = $${i + 1}`).join(", ");
  await executeSql(server.database, [
    [
      `update bank_account set ${set} where id = $${names.length + 1}`,
      [...Object.values(columns), bankAccountId],
    ],
  ]);
}

/** A STARTED application whose record meets the default list: business, adult owner, PRIMARY, sales info. */
async function completeRecord(server: TestServer, client: VettedClient, accountId: string) {
  const application = await createApplication(client, accountId);
  const business = await createBusiness(client, application.subject_record_id, FULL_BUSINESS);
  const owner = await insertLinks(server, business, { owner: true }, server.clock.now().toISOString());
  await setPerson(server, owner.person_id, { date_of_birth: ADULT_BIRTH_DATE });
  await insertLinks(server, business, { bankAccount: ["PRIMARY"] }, server.clock.now().toISOString());
  await createSalesInfo(client, business.business_id);
  return { application, business };
}

for (const kind of databaseKinds()) {
  describe(`completion requirements through the API [${kind}]`, () => {
    const server = useTestServer(kind);
    const defaults = { completion_requirements: [...DEFAULT_COMPLETION_REQUIREMENTS] };
    const now = () => server().clock.now().toISOString();

    describe("success", () => {
      it("meets each default key as its data is added, from §14's example to a completed application", async () => {
        const { client, account } = await server().fixture({ dataSettings: defaults });
        const application = await createApplication(client, account.id);
        const id = application.workflow_id;

        assert.deepEqual(await missing(client, id), [
          REQUIRED.business,
          REQUIRED.controlProngOwner,
          REQUIRED.primaryBankAccount,
          REQUIRED.salesInfo,
        ]);

        // §14's example: a business with only a legal name.
        const business = await createBusiness(client, application.subject_record_id, {
          legal_name: "Acme Widgets LLC",
        });
        assert.deepEqual(await missing(client, id), [
          REQUIRED.businessFields(business.business_id, [
            "registration_type",
            "tax_id",
            "phone_number",
            "addresses.LEGAL",
          ]),
          REQUIRED.controlProngOwner,
          REQUIRED.primaryBankAccount,
          REQUIRED.salesInfo,
        ]);

        // A LEGAL address without its state (the country is US) is not complete.
        const { legal_name: _, ...rest } = structuredClone(FULL_BUSINESS) as Record<string, unknown>;
        const addresses = structuredClone(FULL_BUSINESS.addresses) as unknown as Record<string, unknown>[];
        const stateless = [{ ...addresses[0], state: null }];
        const update = {
          business_id: business.business_id,
          business: { ...rest, addresses: stateless },
        } as never;
        expectOk(await client.call("business.update", update));
        assert.deepEqual(
          (await missing(client, id))[0],
          REQUIRED.businessFields(business.business_id, ["addresses.LEGAL"]),
        );
        expectOk(
          await client.call("business.update", {
            business_id: business.business_id,
            business: { addresses },
          } as never),
        );
        assert.deepEqual(await missing(client, id), [
          REQUIRED.controlProngOwner,
          REQUIRED.primaryBankAccount,
          REQUIRED.salesInfo,
        ]);

        // A control-prong owner without a date of birth, then a minor, then an adult.
        const owner = await insertLinks(server(), business, { owner: true }, now());
        assert.deepEqual(await missing(client, id), [
          REQUIRED.controlProngBirthDate(owner.person_id),
          REQUIRED.primaryBankAccount,
          REQUIRED.salesInfo,
        ]);
        const today = now().slice(0, 10);
        const minor = `${Number(today.slice(0, 4)) - 10}-01-01`;
        await setPerson(server(), owner.person_id, { date_of_birth: minor });
        assert.deepEqual(await missing(client, id), [
          REQUIRED.controlProngOwner,
          REQUIRED.primaryBankAccount,
          REQUIRED.salesInfo,
        ]);
        await setPerson(server(), owner.person_id, { date_of_birth: ADULT_BIRTH_DATE });
        assert.deepEqual(await missing(client, id), [REQUIRED.primaryBankAccount, REQUIRED.salesInfo]);

        // A bank account without PRIMARY does not meet it; one with PRIMARY among its purposes does.
        await insertLinks(server(), business, { bankAccount: ["PAYOUT"] }, now());
        assert.deepEqual(await missing(client, id), [REQUIRED.primaryBankAccount, REQUIRED.salesInfo]);
        await insertLinks(server(), business, { bankAccount: ["BILLING", "PRIMARY"] }, now());
        assert.deepEqual(await missing(client, id), [REQUIRED.salesInfo]);

        await createSalesInfo(client, business.business_id);
        assert.deepEqual(await missing(client, id), []);
        server().clock.offsetMs += 10;
        expectOk(await client.call("workflow.complete", { workflow_id: id }));
        assert.equal((await getWorkflow(client, id)).state, "ENDED");
      });

      it("judges every optional key on the stored persons, bank account and sales info", async () => {
        const { client, account } = await server().fixture({
          dataSettings: {
            completion_requirements: COMPLETION_REQUIREMENT_KEYS.filter((k) => k !== "BUSINESS_LOCATION"),
          },
        });
        const { application, business } = await completeRecord(server(), client, account.id);
        const id = application.workflow_id;
        const [owner] = await queryOwners(server(), business.business_id);
        const primary = await queryPrimaryBankAccount(server(), business.business_id);
        const salesInfoId = (await getBusiness(client, business.business_id)).sales_info_id;
        assert.ok(owner && primary && salesInfoId);

        // A second owner: each key's items follow the owners' creation order.
        const second = await insertLinks(server(), business, { owner: true }, now());
        await setPerson(server(), second.person_id, { first_name: null, tax_id: null });
        assert.deepEqual(await missing(client, id), [
          REQUIRED.ownerFields(owner, ["last_name"]),
          REQUIRED.ownerFields(second.person_id, ["first_name", "last_name", "date_of_birth", "tax_id"]),
          REQUIRED.ownerAddress(owner),
          REQUIRED.ownerAddress(second.person_id),
          REQUIRED.primaryBankAccountFields(primary, ["bank_account_type", "bank_account_ownership_type"]),
          REQUIRED.salesInfoFields(salesInfoId, [
            "sales_method",
            "sales_amount.AVERAGE_INDIVIDUAL_SALE",
            "sales_amount.AVERAGE_MONTHLY_CREDIT_SALES",
          ]),
        ]);

        const residential = JSON.stringify([
          {
            address_type: "RESIDENTIAL",
            line1: "2 Elm St",
            city: "Austin",
            state: "TX",
            postal_code: "78701",
            country: "US",
          },
        ]);
        for (const personId of [owner, second.person_id])
          await setPerson(server(), personId, {
            first_name: "Ann",
            last_name: "Lee",
            date_of_birth: ADULT_BIRTH_DATE,
            tax_id: "987654321",
            addresses: residential,
          });
        await setBankAccount(server(), primary, { bank_account_type: "CHECKING" });
        expectOk(
          await client.call("business.salesInfo.update", {
            sales_info_id: salesInfoId,
            sales_info: {
              sales_method: { retail: 100 },
              sales_amount: [{ type: "AVERAGE_INDIVIDUAL_SALE", value: 20, currency: "USD" }],
            },
          } as never),
        );
        assert.deepEqual(await missing(client, id), [
          REQUIRED.primaryBankAccountFields(primary, ["bank_account_ownership_type"]),
          REQUIRED.salesInfoFields(salesInfoId, ["sales_amount.AVERAGE_MONTHLY_CREDIT_SALES"]),
        ]);
        await setBankAccount(server(), primary, { bank_account_ownership_type: "BUSINESS" });
        expectOk(
          await client.call("business.salesInfo.update", {
            sales_info_id: salesInfoId,
            sales_info: {
              sales_amount: [
                { type: "AVERAGE_INDIVIDUAL_SALE", value: 20, currency: "USD" },
                { type: "AVERAGE_MONTHLY_CREDIT_SALES", value: 0, currency: "USD" },
              ],
            },
          } as never),
        );
        assert.deepEqual(await missing(client, id), []);
      });
    });

    describe("errors", () => {
      it("refuses workflow.complete with canComplete's items, changing nothing", async () => {
        const { client, account } = await server().fixture({ dataSettings: defaults });
        const application = await createApplication(client, account.id);
        const business = await createBusiness(client, application.subject_record_id, { legal_name: "Acme" });
        const items = await missing(client, application.workflow_id);
        const eventsBefore = await server().store.listEvents({ accountId: account.id });

        expectErrors(await client.call("workflow.complete", { workflow_id: application.workflow_id }), 400, [
          {
            code: "MISSING_REQUIREMENTS",
            message: "The workflow cannot be completed yet.",
            missing_requirements: items as MissingRequirement[],
          },
        ]);
        assert.deepEqual(await getWorkflow(client, application.workflow_id), application);
        assert.deepEqual(
          (await workflowsOf(server(), application.subject_record_id)).map((w) => w.type),
          ["BUSINESS_APPLICATION"],
        );
        assert.deepEqual(await server().store.listEvents({ accountId: account.id }), eventsBefore);
        assert.equal(items.length, 4);
        assert.deepEqual(
          items[0],
          REQUIRED.businessFields(business.business_id, [
            "registration_type",
            "tax_id",
            "phone_number",
            "addresses.LEGAL",
          ]),
        );
      });

      it("a data write racing workflow.complete: either lands first and complete is refused, or gets WORKFLOW_ENDED", async () => {
        const { client, account } = await server().fixture({ dataSettings: defaults });
        const outcomes = new Set<string>();
        for (let round = 0; round < 6; round++) {
          const { application, business } = await completeRecord(server(), client, account.id);
          const [write, complete] = await Promise.all([
            client.call("business.update", { business_id: business.business_id, business: { tax_id: null } }),
            client.call("workflow.complete", { workflow_id: application.workflow_id }),
          ]);
          assert.ok(!(write.ok && complete.ok), "the write and complete may not both succeed");
          const state = (await getWorkflow(client, application.workflow_id)).state;
          if (write.ok) {
            outcomes.add("write first");
            expectErrors(complete, 400, [
              {
                code: "MISSING_REQUIREMENTS",
                message: "The workflow cannot be completed yet.",
                missing_requirements: [
                  REQUIRED.businessFields(business.business_id, ["tax_id"]) as MissingRequirement,
                ],
              },
            ]);
            assert.equal(state, "STARTED");
          } else {
            outcomes.add("complete first");
            expectErrors(write, 400, [DATA_ERRORS.ended]);
            expectOk(complete);
            assert.equal(state, "ENDED");
            const stored = expectOk(
              await client.call("business.get", {
                business_id: business.business_id,
                show_sensitive_data: true,
              }),
            ).business;
            assert.equal(stored.tax_id, FULL_BUSINESS.tax_id);
          }
        }
        assert.ok(outcomes.size >= 1);
      });

      it("workflow.complete racing the removal of the PRIMARY bank account: one of the two, never both", async () => {
        const { client, account } = await server().fixture({ dataSettings: defaults });
        for (let round = 0; round < 6; round++) {
          // The whole onboarding through the API, as `vetted demo` makes its sample merchant.
          const merchant = await onboardSampleMerchant(client, account.id);
          const associations = expectOk(
            await client.call("business.listBankAccounts", { business_id: merchant.business_id }),
          ).business_bank_accounts;
          const primary = associations.find((a) => a.bank_account_purposes.includes("PRIMARY"));
          assert.ok(primary);
          const [removal, complete] = await Promise.all([
            client.call("business.removeBankAccount", {
              business_bank_account_id: primary.business_bank_account_id,
            }),
            client.call("workflow.complete", { workflow_id: merchant.workflow_id }),
          ]);
          assert.ok(!(removal.ok && complete.ok), "the removal and complete may not both succeed");
          const state = (await getWorkflow(client, merchant.workflow_id)).state;
          const remaining = expectOk(
            await client.call("business.listBankAccounts", { business_id: merchant.business_id }),
          ).business_bank_accounts;
          if (removal.ok) {
            expectErrors(complete, 400, [
              {
                code: "MISSING_REQUIREMENTS",
                message: "The workflow cannot be completed yet.",
                missing_requirements: [REQUIRED.primaryBankAccount as MissingRequirement],
              },
            ]);
            assert.equal(state, "STARTED");
            assert.deepEqual(remaining, []);
          } else {
            expectErrors(removal, 400, [DATA_ERRORS.ended]);
            expectOk(complete);
            assert.equal(state, "ENDED");
            assert.deepEqual(remaining, associations);
          }
        }
      });
    });
  });
}

/** The business's owners' person IDs, oldest association first. */
async function queryOwners(server: TestServer, businessId: string): Promise<string[]> {
  const owners = await server.store.listBusinessOwners(businessId);
  return owners.map((o) => o.person_id);
}

/** The bank account of the business's PRIMARY association. */
async function queryPrimaryBankAccount(server: TestServer, businessId: string): Promise<string | undefined> {
  const associations = await server.store.listBusinessBankAccounts(businessId);
  return associations.find((a) => a.bank_account_purposes.includes("PRIMARY"))?.bank_account_id;
}
