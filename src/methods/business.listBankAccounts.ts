import { Type } from "@sinclair/typebox";
import { assertVisibleBusiness } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import {
  BankAccountObject,
  BusinessBankAccountObject,
  presentBankAccount,
  presentBusinessBankAccount,
} from "./data-objects.js";
import { defineMethod } from "./define.js";
import { listCursors } from "./pagination.js";
import { BusinessId, PageParams, PageResult, ShowSensitiveData, Strict } from "./schema.js";

export const businessListBankAccounts = defineMethod({
  name: "business.listBankAccounts",
  summary:
    "List a business's bank-account associations, oldest first, with cursor pagination; verbose nests each bank account.",
  auth: true,
  write: false,
  request: Strict({
    business_id: BusinessId,
    show_sensitive_data: ShowSensitiveData,
    verbose: Type.Optional(
      Type.Boolean({ description: "Nest each association's bank_account (default false)" }),
    ),
    ...PageParams,
  }),
  response: Type.Object({
    business_bank_accounts: Type.Array(
      Type.Composite(
        [BusinessBankAccountObject, Type.Object({ bank_account: Type.Optional(BankAccountObject) })],
        { title: "VerboseBusinessBankAccount" },
      ),
    ),
    ...PageResult,
  }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed business_id, limit outside 1–1000, a foreign cursor, or an invalid flag",
    },
    notVisible("The business"),
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (step 1), reported before the refusal to unmask and the lookup.
    const cursors = listCursors(context.cursorKey, {
      method: "business.listBankAccounts",
      filter: { business_id: body.business_id },
    });
    const position = cursors.pageRequest(body);
    const show = context.showSensitiveData(body.show_sensitive_data);
    const business = await assertVisibleBusiness(context, body.business_id, "business_id");
    const page = await context.store.listBusinessBankAccountsPage(business.id, position);
    const result = cursors.pageResult(page);
    if (!body.verbose)
      return { business_bank_accounts: page.items.map(presentBusinessBankAccount), ...result };
    const accounts = new Map(
      (await context.store.getBankAccounts(page.items.map((a) => a.bank_account_id))).map((a) => [a.id, a]),
    );
    // An association's bank account cannot be deleted while it is linked; one removed between the
    // two reads (with its association) is left out, as business.get's verbose read does.
    return {
      business_bank_accounts: page.items.flatMap((association) => {
        const account = accounts.get(association.bank_account_id);
        return account
          ? [{ ...presentBusinessBankAccount(association), bank_account: presentBankAccount(account, show) }]
          : [];
      }),
      ...result,
    };
  },
});
