import { Type } from "@sinclair/typebox";
import type { Business } from "../domain/data-records.js";
import { assertVisibleBusiness } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import {
  BankAccountObject,
  BusinessBankAccountObject,
  BusinessObject,
  BusinessOwnerObject,
  PersonObject,
  presentBankAccount,
  presentBusiness,
  presentBusinessBankAccount,
  presentBusinessOwner,
  presentPerson,
  presentSalesInfo,
  SalesInfoObject,
} from "./data-objects.js";
import { defineMethod, type MethodContext } from "./define.js";
import { BusinessId, Nullable, ShowSensitiveData, Strict } from "./schema.js";

export const businessGet = defineMethod({
  name: "business.get",
  summary: "Get a business; with verbose, also its owners (with persons), bank accounts and sales info.",
  auth: true,
  write: false,
  request: Strict({
    business_id: BusinessId,
    show_sensitive_data: ShowSensitiveData,
    verbose: Type.Optional(
      Type.Boolean({
        description: "Add business_owners, business_bank_accounts and sales_info (default false)",
      }),
    ),
  }),
  response: Type.Object({
    business: Type.Composite(
      [
        BusinessObject,
        Type.Object({
          business_owners: Type.Optional(
            Type.Array(
              Type.Composite([BusinessOwnerObject, Type.Object({ person: PersonObject })], {
                title: "BusinessOwnerWithPerson",
              }),
            ),
          ),
          business_bank_accounts: Type.Optional(
            Type.Array(
              Type.Composite([BusinessBankAccountObject, Type.Object({ bank_account: BankAccountObject })], {
                title: "BusinessBankAccountWithBankAccount",
              }),
            ),
          ),
          sales_info: Type.Optional(Nullable(SalesInfoObject)),
        }),
      ],
      { title: "VerboseBusiness" },
    ),
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed business_id; invalid flags" },
    notVisible("The business"),
  ],
  async handler(context, body) {
    // Step 2 (data.md §2.1); the route audits what the answer reveals (http/sensitive-read.ts).
    const show = context.showSensitiveData(body.show_sensitive_data);
    const business = await assertVisibleBusiness(context, body.business_id, "business_id");
    const presented = presentBusiness(business, show);
    if (!body.verbose) return { business: presented };
    return { business: { ...presented, ...(await verboseParts(context, business, show)) } };
  },
});

/**
 * The three verbose keys (data.md §4.1), not paginated. Each is its own read, so a link removed
 * between them may leave an owner without its person: such an owner is left out.
 */
async function verboseParts(context: MethodContext, business: Business, show: boolean) {
  const { store } = context;
  const owners = await store.listBusinessOwners(business.id);
  const persons = new Map((await store.getPersons(owners.map((o) => o.person_id))).map((p) => [p.id, p]));
  const associations = await store.listBusinessBankAccounts(business.id);
  const accounts = new Map(
    (await store.getBankAccounts(associations.map((a) => a.bank_account_id))).map((a) => [a.id, a]),
  );
  const salesInfo =
    business.sales_info_id === null ? undefined : await store.getSalesInfo(business.sales_info_id);
  return {
    business_owners: owners.flatMap((owner) => {
      const person = persons.get(owner.person_id);
      return person ? [{ ...presentBusinessOwner(owner), person: presentPerson(person, show) }] : [];
    }),
    business_bank_accounts: associations.flatMap((association) => {
      const account = accounts.get(association.bank_account_id);
      return account
        ? [
            {
              ...presentBusinessBankAccount(association),
              bank_account: presentBankAccount(account, show),
            },
          ]
        : [];
    }),
    sales_info: salesInfo ? presentSalesInfo(salesInfo) : null,
  };
}
