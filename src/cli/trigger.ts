/**
 * `vetted trigger <EVENT_TYPE> --account <id>`: makes the API calls that cause one event in a
 * sandbox account, with made-up data (webhooks.md "Live event stream"), so a receiver can be
 * tried without writing an integration first. Each recipe builds what its event needs (a subject
 * record, a business, …) and then makes the one call that writes the event; the events of the
 * setup calls are written too, as they would be.
 */
import type { CallResult, VettedClient } from "@vetted/client";
import { utcDate, yearsBefore } from "../domain/calendar.js";
import { onboardSampleMerchant } from "./sample-merchant.js";

type Recipe = (steps: Steps) => Promise<void>;

/** Every call a recipe makes, through the client, named as it happened. */
class Steps {
  readonly made: string[] = [];
  constructor(
    readonly client: VettedClient,
    readonly accountId: string,
  ) {}

  async call<T>(method: string, result: Promise<CallResult<T>>): Promise<T> {
    const answer = await result;
    if (!answer.ok) {
      const first = answer.errors[0];
      throw new Error(
        `${method} failed: HTTP ${answer.status} ${[first?.code, first?.sub_code].filter(Boolean).join("/")}: ${first?.message ?? ""}`,
      );
    }
    this.made.push(method);
    return answer.data;
  }

  async workflow(state: "CREATED" | "STARTED"): Promise<string> {
    const data = await this.call(
      "workflow.create",
      this.client.call("workflow.create", {
        account_id: this.accountId,
        workflow: { type: "ACCOUNT_PROVISIONING", state },
      }),
    );
    return data.workflow.workflow_id;
  }

  async record(): Promise<string> {
    const data = await this.call(
      "subjectRecord.create",
      this.client.call("subjectRecord.create", {
        account_id: this.accountId,
        subject_record: { type: "BUSINESS" },
      }),
    );
    return data.subject_record.subject_record_id;
  }

  async business(subjectRecordId?: string): Promise<string> {
    const subject_record_id = subjectRecordId ?? (await this.record());
    const data = await this.call(
      "business.create",
      this.client.call("business.create", {
        subject_record_id,
        business: { legal_name: "Trigger Test LLC", registration_type: "LLC" },
      }),
    );
    return data.business.business_id;
  }

  async person(subjectRecordId?: string): Promise<string> {
    const subject_record_id = subjectRecordId ?? (await this.record());
    const data = await this.call(
      "person.create",
      this.client.call("person.create", {
        subject_record_id,
        person: {
          first_name: "Tess",
          last_name: "Trigger",
          // An adult on any day: an owner must be 18 or older.
          date_of_birth: yearsBefore(utcDate(new Date()), 40),
        },
      }),
    );
    return data.person.person_id;
  }

  async bankAccount(subjectRecordId?: string): Promise<string> {
    const subject_record_id = subjectRecordId ?? (await this.record());
    const data = await this.call(
      "bankAccount.create",
      this.client.call("bankAccount.create", {
        subject_record_id,
        bank_account: { bank_routing_number: "011000015", bank_account_number: "12345678" },
      }),
    );
    return data.bank_account.bank_account_id;
  }

  async owner(): Promise<string> {
    const record = await this.record();
    const business_id = await this.business(record);
    const person_id = await this.person(record);
    const data = await this.call(
      "business.addOwner",
      this.client.call("business.addOwner", {
        business_id,
        business_owner: { person_id, ownership_type: "CONTROL_PRONG", ownership_percentage: 50 },
      }),
    );
    return data.business_owner.business_owner_id;
  }

  async businessBankAccount(): Promise<string> {
    const record = await this.record();
    const business_id = await this.business(record);
    const bank_account_id = await this.bankAccount(record);
    const data = await this.call(
      "business.addBankAccount",
      this.client.call("business.addBankAccount", {
        business_id,
        business_bank_account: { bank_account_id, bank_account_purposes: ["SETTLEMENT"] },
      }),
    );
    return data.business_bank_account.business_bank_account_id;
  }

  async salesInfo(): Promise<string> {
    const business_id = await this.business();
    const data = await this.call(
      "business.salesInfo.create",
      this.client.call("business.salesInfo.create", {
        business_id,
        sales_info: { card_brands: ["AMEX"], sales_method: { retail: 100 } },
      }),
    );
    return data.sales_info.sales_info_id;
  }

  async issuedIdentifier(): Promise<string> {
    const person_id = await this.person();
    const data = await this.call(
      "person.issuedIdentifier.create",
      this.client.call("person.issuedIdentifier.create", {
        person_id,
        issued_identifier: { type: "PASSPORT", issued_number: "X1234567" },
      }),
    );
    return data.issued_identifier.issued_identifier_id;
  }
}

/** The supported event types, each with the calls that cause it. */
export const TRIGGERS: Readonly<Record<string, Recipe>> = {
  WORKFLOW_CREATED: async (s) => {
    await s.workflow("CREATED");
  },
  WORKFLOW_STARTED: async (s) => {
    await s.workflow("STARTED");
  },
  WORKFLOW_COMPLETED: async (s) => {
    // Only a business application completes, once the account's completion requirements are
    // met: the demo's sample merchant meets data.md §14's default list.
    const merchant = await onboardSampleMerchant(s.client, s.accountId, (step) => {
      s.made.push(step);
    });
    await s.call(
      "workflow.complete",
      s.client.call("workflow.complete", { workflow_id: merchant.workflow_id }),
    );
  },
  WORKFLOW_DELETED: async (s) => {
    const workflow_id = await s.workflow("CREATED");
    await s.call("workflow.delete", s.client.call("workflow.delete", { workflow_id }));
  },
  SUBJECT_RECORD_DELETED: async (s) => {
    const subject_record_id = await s.record();
    await s.call("subjectRecord.delete", s.client.call("subjectRecord.delete", { subject_record_id }));
  },
  BUSINESS_CREATED: async (s) => {
    await s.business();
  },
  BUSINESS_UPDATED: async (s) => {
    const business_id = await s.business();
    await s.call(
      "business.update",
      s.client.call("business.update", { business_id, business: { operating_name: "Trigger Test" } }),
    );
  },
  BUSINESS_DELETED: async (s) => {
    const business_id = await s.business();
    await s.call("business.delete", s.client.call("business.delete", { business_id }));
  },
  PERSON_CREATED: async (s) => {
    await s.person();
  },
  PERSON_UPDATED: async (s) => {
    const person_id = await s.person();
    await s.call(
      "person.update",
      s.client.call("person.update", { person_id, person: { first_name: "Tessa" } }),
    );
  },
  PERSON_DELETED: async (s) => {
    const person_id = await s.person();
    await s.call("person.delete", s.client.call("person.delete", { person_id }));
  },
  BANK_ACCOUNT_CREATED: async (s) => {
    await s.bankAccount();
  },
  BANK_ACCOUNT_UPDATED: async (s) => {
    const bank_account_id = await s.bankAccount();
    await s.call(
      "bankAccount.update",
      s.client.call("bankAccount.update", { bank_account_id, bank_account: { bank_name: "Trigger Bank" } }),
    );
  },
  BANK_ACCOUNT_DELETED: async (s) => {
    const bank_account_id = await s.bankAccount();
    await s.call("bankAccount.delete", s.client.call("bankAccount.delete", { bank_account_id }));
  },
  BUSINESS_OWNER_ADDED: async (s) => {
    await s.owner();
  },
  BUSINESS_OWNER_UPDATED: async (s) => {
    const business_owner_id = await s.owner();
    await s.call(
      "business.updateOwner",
      s.client.call("business.updateOwner", {
        business_owner_id,
        business_owner: { ownership_percentage: 60 },
      }),
    );
  },
  BUSINESS_OWNER_REMOVED: async (s) => {
    const business_owner_id = await s.owner();
    await s.call("business.removeOwner", s.client.call("business.removeOwner", { business_owner_id }));
  },
  BUSINESS_BANK_ACCOUNT_ADDED: async (s) => {
    await s.businessBankAccount();
  },
  BUSINESS_BANK_ACCOUNT_UPDATED: async (s) => {
    const business_bank_account_id = await s.businessBankAccount();
    await s.call(
      "business.updateBankAccount",
      s.client.call("business.updateBankAccount", {
        business_bank_account_id,
        business_bank_account: { bank_account_purposes: ["FEES"] },
      }),
    );
  },
  BUSINESS_BANK_ACCOUNT_REMOVED: async (s) => {
    const business_bank_account_id = await s.businessBankAccount();
    await s.call(
      "business.removeBankAccount",
      s.client.call("business.removeBankAccount", { business_bank_account_id }),
    );
  },
  SALES_INFO_CREATED: async (s) => {
    await s.salesInfo();
  },
  SALES_INFO_UPDATED: async (s) => {
    const sales_info_id = await s.salesInfo();
    await s.call(
      "business.salesInfo.update",
      s.client.call("business.salesInfo.update", {
        sales_info_id,
        sales_info: { sales_method: { retail: 60, online: 40 } },
      }),
    );
  },
  ISSUED_IDENTIFIER_CREATED: async (s) => {
    await s.issuedIdentifier();
  },
  ISSUED_IDENTIFIER_UPDATED: async (s) => {
    const issued_identifier_id = await s.issuedIdentifier();
    await s.call(
      "person.issuedIdentifier.update",
      s.client.call("person.issuedIdentifier.update", {
        issued_identifier_id,
        issued_identifier: { issued_number: "X7654321" },
      }),
    );
  },
};

export const SUPPORTED_TRIGGERS = Object.keys(TRIGGERS);

/** Makes the calls; returns the methods called, in order. Throws on the first failed call. */
export async function trigger(client: VettedClient, accountId: string, eventType: string): Promise<string[]> {
  const recipe = TRIGGERS[eventType];
  if (!recipe) throw new Error(`no recipe for ${eventType}`);
  const steps = new Steps(client, accountId);
  await recipe(steps);
  return steps.made;
}
