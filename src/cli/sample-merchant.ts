/**
 * One merchant onboarded through the API, every call made with the typed client: a business
 * application and the data its completion requirements ask for (data.md §14's default list).
 * `vetted demo` runs it once for the demo account, so a new user finds a merchant ready to
 * complete; examples/onboard-merchant.ts runs it step by step and completes it.
 */
import { randomBytes } from "node:crypto";
import type { CallResult, VettedClient } from "@vetted/client";
import { utcDate, yearsBefore } from "../domain/calendar.js";

export interface SampleMerchant {
  workflow_id: string;
  subject_record_id: string;
  business_id: string;
  person_id: string;
  bank_account_id: string;
}

/** What each step did, for a caller that shows progress (the example prints canComplete). */
export type OnStep = (step: string, merchant: Partial<SampleMerchant>) => Promise<void> | void;

function dataOf<T>(step: string, result: CallResult<T>): T {
  if (!result.ok) throw new Error(`${step} failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export async function onboardSampleMerchant(
  client: VettedClient,
  accountId: string,
  onStep: OnStep = () => undefined,
): Promise<SampleMerchant> {
  const created = await client.call("workflow.create", {
    account_id: accountId,
    workflow: {
      type: "BUSINESS_APPLICATION",
      details: {
        business_application_details: {
          // Unique per call, even for calls in the same millisecond (the bench runs many at once):
          // an account may refuse a second application with one email.
          applying_user: {
            email: `owner+${Date.now()}.${randomBytes(4).toString("hex")}@example.com`,
            first_name: "Ada",
            last_name: "Park",
          },
        },
      },
    },
  });
  const { workflow_id, subject_record_id } = dataOf("workflow.create", created).workflow;
  const merchant: Partial<SampleMerchant> = { workflow_id, subject_record_id };
  await onStep("workflow.create", merchant);

  const business = await client.call("business.create", {
    subject_record_id,
    business: {
      legal_name: "Park Street Coffee LLC",
      operating_name: "Park Street Coffee",
      registration_type: "LLC",
      tax_id: "123456789",
      phone_number: "2025550143",
      email: "hello@parkstreet.example.com",
      addresses: [
        {
          address_type: "LEGAL",
          line1: "100 Park Street",
          city: "Springfield",
          state: "IL",
          postal_code: "62701",
          country: "US",
        },
      ],
      industry_category_codes: [{ type: "MCC", code: "5814" }],
      websites: ["https://parkstreet.example.com"],
    },
  });
  merchant.business_id = dataOf("business.create", business).business.business_id;
  await onStep("business.create", merchant);

  const person = await client.call("person.create", {
    subject_record_id,
    person: {
      first_name: "Ada",
      last_name: "Park",
      // Adult on any day the demo runs: 40 years before today.
      date_of_birth: yearsBefore(utcDate(new Date()), 40),
      tax_id: "987654321",
      email: "ada@parkstreet.example.com",
    },
  });
  merchant.person_id = dataOf("person.create", person).person.person_id;
  await onStep("person.create", merchant);

  dataOf(
    "business.addOwner",
    await client.call("business.addOwner", {
      business_id: merchant.business_id,
      business_owner: {
        person_id: merchant.person_id,
        ownership_type: "CONTROL_PRONG",
        ownership_percentage: 100,
        business_person_position: "CEO",
      },
    }),
  );
  await onStep("business.addOwner", merchant);

  const bankAccount = await client.call("bankAccount.create", {
    subject_record_id,
    bank_account: {
      bank_routing_number: "021000021",
      bank_account_number: "000123456789",
      bank_account_type: "CHECKING",
      bank_account_ownership_type: "BUSINESS",
      bank_name: "Example Bank",
    },
  });
  merchant.bank_account_id = dataOf("bankAccount.create", bankAccount).bank_account.bank_account_id;
  await onStep("bankAccount.create", merchant);

  dataOf(
    "business.addBankAccount",
    await client.call("business.addBankAccount", {
      business_id: merchant.business_id,
      business_bank_account: {
        bank_account_id: merchant.bank_account_id,
        bank_account_purposes: ["PRIMARY"],
      },
    }),
  );
  await onStep("business.addBankAccount", merchant);

  dataOf(
    "business.salesInfo.create",
    await client.call("business.salesInfo.create", {
      business_id: merchant.business_id,
      sales_info: {
        card_brands: ["AMEX"],
        sales_method: { retail: 70, online: 30 },
        sales_amount: [
          { type: "AVERAGE_INDIVIDUAL_SALE", value: 12.5, currency: "USD" },
          { type: "AVERAGE_MONTHLY_CREDIT_SALES", value: 42000, currency: "USD" },
        ],
      },
    }),
  );
  await onStep("business.salesInfo.create", merchant);
  return merchant as SampleMerchant;
}
