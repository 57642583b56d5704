/**
 * The value formats of subject-record data (data.md §2.4, the §15 test values) through the real
 * HTTP validation path: a throwaway method whose request holds one field of each format, and a
 * `refine` with every cross-field rule. Plus the masked form of §2.6.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Type } from "@sinclair/typebox";
import fc from "fast-check";
import { maskSensitive } from "../src/domain/masking.js";
import { notFound, type WireError } from "../src/errors.js";
import { defineMethod } from "../src/methods/define.js";
import {
  AccountExtensibleValue,
  AdditionalFields,
  Address,
  BankAccountNumber,
  BusinessAddresses,
  BusinessRegistrationType,
  businessIssues,
  CardBrands,
  Country,
  DateOfBirth,
  EnumToken,
  IndustryCategoryCodes,
  locationIssues,
  Money,
  Optional,
  OptionalNullable,
  Percentage,
  PersonAddresses,
  PostalCode,
  personIssues,
  RoutingNumber,
  SalesAmounts,
  SalesMethod,
  salesInfoIssues,
  TaxId,
  TextN,
  Url,
  UsPhone,
  UsState,
  VALUE_FORMATS,
  Websites,
  YearMonth,
} from "../src/methods/formats/index.js";
import { Strict } from "../src/methods/schema.js";
import { databaseKinds } from "./support/databases.js";
import { type JsonSchema, validValue } from "./support/fuzz-schema.js";
import { useTestServer } from "./support/server.js";

const probe = defineMethod({
  name: "test.formats",
  summary: "Test-only: validates one field of each format",
  auth: false,
  write: false,
  request: Strict({
    text: Optional(TextN(100)),
    phone_number: Optional(UsPhone),
    tax_id: Optional(TaxId),
    date_of_birth: Optional(DateOfBirth),
    year_month: Optional(YearMonth),
    routing_number: Optional(RoutingNumber),
    bank_account_number: Optional(BankAccountNumber),
    percentage: Optional(Percentage),
    money: Optional(Money),
    url: Optional(Url),
    country: Optional(Country),
    state: Optional(UsState),
    postal_code: Optional(PostalCode),
    token: Optional(EnumToken),
    purpose: Optional(AccountExtensibleValue("Bank account purpose")),
    registration_type: OptionalNullable(BusinessRegistrationType),
    business: Optional(
      Strict({
        addresses: OptionalNullable(BusinessAddresses),
        industry_category_codes: OptionalNullable(IndustryCategoryCodes),
        websites: OptionalNullable(Websites),
        additional_fields: OptionalNullable(AdditionalFields),
      }),
    ),
    person: Optional(Strict({ addresses: OptionalNullable(PersonAddresses) })),
    location: Optional(Strict({ address: OptionalNullable(Address) })),
    sales_info: Optional(
      Strict({
        card_brands: OptionalNullable(CardBrands),
        sales_method: OptionalNullable(SalesMethod),
        sales_amount: OptionalNullable(SalesAmounts),
      }),
    ),
    not_found: Optional(Type.Boolean()),
  }),
  response: Type.Object({}),
  errors: [],
  refine: (body) => [
    ...businessIssues(body.business, "business"),
    ...personIssues(body.person, "person"),
    ...locationIssues(body.location, "location"),
    ...salesInfoIssues(body.sales_info, "sales_info"),
  ],
  async handler(_context, body) {
    if (body.not_found) throw notFound("Business", "business_id");
    return {};
  },
});

/** 2024-02-29 (a leap day: T − 130 y is 1894-02-28), late in the UTC day. */
const LEAP_DAY = Date.parse("2024-02-29T23:59:59.999Z");
const MID_YEAR = Date.parse("2025-06-15T00:00:00.000Z");

for (const kind of databaseKinds()) {
  describe(`value formats [${kind}]`, () => {
    const server = useTestServer(kind, { methods: [probe] });

    async function post(body: unknown): Promise<{ status: number; errors: WireError[] }> {
      const response = await fetch(`${server().url}/test.formats`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const parsed = (await response.json()) as { errors?: WireError[] };
      return { status: response.status, errors: parsed.errors ?? [] };
    }

    async function accepts(body: Record<string, unknown>) {
      const r = await post(body);
      assert.equal(r.status, 200, `${JSON.stringify(body)} → ${JSON.stringify(r.errors)}`);
    }

    /** Refused with BAD_REQUEST, its first error on `field`. */
    async function refuses(body: Record<string, unknown>, field: string) {
      const r = await post(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.errors[0]?.code, "BAD_REQUEST", JSON.stringify(r.errors));
      assert.equal(r.errors[0]?.field, field, `${JSON.stringify(body)} → ${JSON.stringify(r.errors)}`);
      return r.errors;
    }

    async function table(name: string, good: unknown[], bad: unknown[]) {
      for (const value of good) await accepts({ [name]: value });
      for (const value of bad) await refuses({ [name]: value }, name);
    }

    it("US phone: NANP numbers, ten digits without punctuation", async () => {
      await table(
        "phone_number",
        ["2025550143", "8005550100"],
        [
          "1025550143",
          "2021550143",
          "9115550143",
          "2024110143",
          "2925550143",
          "202555014",
          "(202)5550143",
          "2125550143 ",
        ],
      );
      const [error] = await refuses({ phone_number: "2925550143" }, "phone_number");
      assert.deepEqual(error, {
        code: "BAD_REQUEST",
        message: "phone_number must be a 10-digit US phone number (NANP area code and exchange), digits only",
        field: "phone_number",
      });
    });

    it("tax id, routing number and bank account number", async () => {
      await table(
        "tax_id",
        ["123456789", "000000000"],
        ["12-3456789", "12345678", "1234567890", "12345678a", 123456789],
      );
      await table(
        "routing_number",
        ["011000015", "021000021", "121000358"],
        ["021000022", "000000000", "02100002", "0210000210", "O21000021"],
      );
      await table(
        "bank_account_number",
        ["1234", "12345678901234567", "0000"],
        ["123", "123456789012345678", "1234-5678", " 1234", "１２３４"],
      );
    });

    it("date of birth: a real date from today − 130 years to today (a leap day's T − 130 y is 28 February)", async () => {
      server().clock.pinnedMs = LEAP_DAY;
      try {
        await table(
          "date_of_birth",
          ["2024-02-29", "1894-02-28", "2000-02-29", "1990-12-31"],
          [
            "2024-03-01",
            "1894-02-27",
            "2001-02-29",
            "2001-2-3",
            "2023-04-31",
            "2023-13-01",
            "20240101",
            "2024-02-29T00:00:00Z",
          ],
        );
        server().clock.pinnedMs = MID_YEAR;
        await table("date_of_birth", ["2025-06-15", "1895-06-15"], ["2025-06-16", "1895-06-14"]);
      } finally {
        server().clock.pinnedMs = undefined;
      }
      // The server's own today, whatever the date: T and T − 130 y pass, the day after T does not.
      const today = new Date().toISOString().slice(0, 10);
      await accepts({ date_of_birth: today });
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      if (tomorrow !== today) await refuses({ date_of_birth: tomorrow }, "date_of_birth");
    });

    it("year-month: 1900-01 to the current UTC month", async () => {
      server().clock.pinnedMs = MID_YEAR;
      try {
        await table(
          "year_month",
          ["1900-01", "2023-11", "2025-06"],
          ["2025-07", "1899-12", "2023-13", "2023-1", "2023-00", "2023-11-01"],
        );
      } finally {
        server().clock.pinnedMs = undefined;
      }
    });

    it("percentage and money: JSON numbers in range, money with at most 2 decimal places", async () => {
      await table("percentage", [0, 45, 100], [-1, 101, 45.5, "45", null]);
      await table(
        "money",
        [0, 19.99, 0.29, 100.1, 1_000_000_000_000, 123456789.12],
        [-0.01, 1.005, 0.1 + 0.2, 1e-7, 1_000_000_000_000.01, "5", 12.345],
      );
    });

    it("text-N: 1–N code points, not only whitespace, no control characters", async () => {
      await table(
        "text",
        ["a", " a ", "x".repeat(100), "😀".repeat(100), "Café — naïve"],
        ["", "   ", "\u00a0", "a\tb", "a\nb", "a\u007fb", "x".repeat(101), "😀".repeat(101)],
      );
    });

    it("URL: absolute http(s), a dotted host, no user-info, at most 2048 characters", async () => {
      const long = `https://example.com/${"a".repeat(2048 - 20)}`;
      assert.equal(long.length, 2048);
      await table(
        "url",
        ["https://example.com", "http://www.example.co.uk/path?q=1#top", "HTTPS://Example.com/", long],
        [
          "ftp://example.com",
          "https://localhost",
          "https://user:pw@example.com",
          "https://user@example.com",
          "example.com",
          "https://exa mple.com",
          " https://example.com",
          "https://example.com/\t",
          "https://[::1]/",
          "https://",
          `${long}a`,
        ],
      );
    });

    it("country, state, postal code and enum tokens", async () => {
      await table("country", ["US", "GB", "DE"], ["UK", "us", "XX", "USA", "EU"]);
      await table("state", ["CA", "DC", "PR", "VI"], ["ca", "XX", "ZZ", "California"]);
      await table(
        "postal_code",
        ["94105", "94105-1234", "SW1A 1AA"],
        ["", " 94105", "94105-1234-56", "SW1A_1AA"],
      );
      await table(
        "token",
        ["FEES", "MY_PURPOSE_2", `A${"B".repeat(49)}`],
        ["fees", "1ABC", "_A", `A${"B".repeat(50)}`],
      );
      await table("purpose", ["SETTLEMENT", "CUSTOM_PURPOSE"], ["settlement", ""]);
      await table("registration_type", ["LLC", null], ["llc", "ROBOT"]);
      const [wrong] = await refuses({ registration_type: "ROBOT" }, "registration_type");
      assert.equal(
        wrong?.message,
        "registration_type must be one of SOLE_PROPRIETORSHIP, PARTNERSHIP, LLC, CORPORATION, S_CORPORATION, NON_PROFIT, GOVERNMENT",
      );
    });

    it("postal code follows the address's own country", async () => {
      const address = (fields: object) => ({ location: { address: fields } });
      await accepts(address({ postal_code: "94105" }));
      await accepts(address({ postal_code: "94105-1234", country: "US" }));
      await accepts(address({ postal_code: "SW1A 1AA", country: "GB" }));
      await accepts(address({ postal_code: null, country: null, line1: null, state: null }));
      await accepts({ location: { address: null } });
      for (const wrong of [
        { postal_code: "9410" },
        { postal_code: "941051234", country: "US" },
        { postal_code: "SW1A 1AA" },
      ]) {
        const [error] = await refuses(address(wrong), "location.address.postal_code");
        assert.equal(
          error?.message,
          "location.address.postal_code must be a US ZIP code, NNNNN or NNNNN-NNNN, when country is US or absent",
        );
      }
      // A state is a USPS code whatever the country; an address outside the US leaves it unset.
      await accepts(address({ state: "CA", country: "GB", postal_code: "SW1A 1AA" }));
      await refuses(address({ address_type: "LEGAL" }), "location.address.address_type");
    });

    it("addresses: one per type, the entity's types, no P.O. box in a LEGAL business address", async () => {
      await accepts({
        business: {
          addresses: [
            {
              address_type: "LEGAL",
              line1: "1 Market St",
              line2: "12 Boxer Street",
              city: "SF",
              state: "CA",
              postal_code: "94105",
              country: "US",
            },
            { address_type: "MAILING", line1: "P.O. Box 12" },
          ],
        },
      });
      await accepts({ business: { addresses: [] } });
      await accepts({ business: { addresses: null } });
      const errors = await refuses(
        {
          business: {
            addresses: [{ address_type: "MAILING" }, { address_type: "LEGAL" }, { address_type: "MAILING" }],
          },
        },
        "business.addresses[2].address_type",
      );
      assert.deepEqual(errors, [
        {
          code: "BAD_REQUEST",
          message: "business.addresses[2].address_type repeats the address type of item 0",
          field: "business.addresses[2].address_type",
        },
      ]);
      for (const line of [
        "P.O. Box 12",
        "PO BOX 5",
        "p o box 7",
        "POBox 1",
        "Post Office Box 9",
        "Suite 4, PO Box 3",
      ]) {
        await refuses(
          { business: { addresses: [{ address_type: "LEGAL", line1: line }] } },
          "business.addresses[0].line1",
        );
        await refuses(
          { business: { addresses: [{ address_type: "LEGAL", line1: "1 Main", line2: line }] } },
          "business.addresses[0].line2",
        );
      }
      await refuses(
        { person: { addresses: [{ address_type: "LEGAL" }] } },
        "person.addresses[0].address_type",
      );
      await accepts({
        person: {
          addresses: [{ address_type: "RESIDENTIAL", line1: "PO Box 1" }, { address_type: "MAILING" }],
        },
      });
      await refuses(
        { person: { addresses: [{ address_type: "RESIDENTIAL", city: "" }] } },
        "person.addresses[0].city",
      );
      await refuses(
        { person: { addresses: [{ address_type: "RESIDENTIAL", zip: "94105" }] } },
        "person.addresses[0].zip",
      );
      await refuses({ person: { addresses: [{ address_type: null }] } }, "person.addresses[0].address_type");
    });

    it("industry codes, websites and additional fields: shapes, limits and no repeats", async () => {
      const codes = (...list: string[]) => ({
        business: { industry_category_codes: list.map((code) => ({ type: "MCC", code })) },
      });
      await accepts(codes("5812", "5814"));
      await refuses(codes("5812", "5812"), "business.industry_category_codes[1]");
      await refuses(codes("581"), "business.industry_category_codes[0].code");
      await refuses(
        codes("1000", "2000", "3000", "4000", "5000", "6000"),
        "business.industry_category_codes",
      );
      await refuses(
        { business: { industry_category_codes: [{ type: "SIC", code: "5812" }] } },
        "business.industry_category_codes[0].type",
      );

      await accepts({ business: { websites: ["https://example.com", "https://example.org"] } });
      await refuses(
        { business: { websites: ["https://example.com", "https://EXAMPLE.com/"] } },
        "business.websites[1]",
      );
      await refuses(
        { business: { websites: Array.from({ length: 11 }, (_, i) => `https://e${i}.com`) } },
        "business.websites",
      );
      await refuses({ business: { websites: ["example.com"] } }, "business.websites[0]");

      const field = (field_name: string, field_value: unknown = "v") => ({ field_name, field_value });
      await accepts({
        business: { additional_fields: [{ field_name: "merrick_mid", field_value: "123456789012345" }] },
      });
      await refuses(
        { business: { additional_fields: [field("a"), field("b"), field("a")] } },
        "business.additional_fields[2].field_name",
      );
      await refuses(
        { business: { additional_fields: [field("Merrick")] } },
        "business.additional_fields[0].field_name",
      );
      await refuses(
        { business: { additional_fields: [field("m", "")] } },
        "business.additional_fields[0].field_value",
      );
      await refuses(
        { business: { additional_fields: [field("m", "x".repeat(256))] } },
        "business.additional_fields[0].field_value",
      );
      await refuses(
        { business: { additional_fields: [{ field_name: "m" }] } },
        "business.additional_fields[0].field_value",
      );
      await refuses(
        { business: { additional_fields: Array.from({ length: 51 }, (_, i) => field(`f${i}`)) } },
        "business.additional_fields",
      );
    });

    it("sales info: sales_method sums to exactly 100, unique amount types and card brands", async () => {
      const method = (sales_method: unknown) => ({ sales_info: { sales_method } });
      await accepts(method({ retail: 100 }));
      await accepts(method({ retail: 25, telephone: 25, online: 25, keyed: 25 }));
      await accepts(method({ retail: 100, online: 0 }));
      await accepts(method(null));
      await refuses(method({}), "sales_info.sales_method");
      const [sum] = await refuses(method({ retail: 60, online: 30 }), "sales_info.sales_method");
      assert.equal(sum?.message, "sales_info.sales_method must add up to exactly 100 (it adds up to 90)");
      await refuses(method({ retail: 101 }), "sales_info.sales_method.retail");
      const fractions = await refuses(
        method({ retail: 50.5, online: 49.5 }),
        "sales_info.sales_method.retail",
      );
      assert.deepEqual(
        fractions.map((e) => e.field),
        ["sales_info.sales_method.retail", "sales_info.sales_method.online"],
      );
      await refuses(method({ mail: 100 }), "sales_info.sales_method.mail");

      const amount = (type: string, value: unknown = 10) => ({ type, value, currency: "USD" });
      await accepts({
        sales_info: {
          sales_amount: [amount("AVERAGE_INDIVIDUAL_SALE", 12.5), amount("HIGHEST_TICKET_SALE", 0)],
        },
      });
      await refuses(
        { sales_info: { sales_amount: [amount("HIGHEST_TICKET_SALE"), amount("HIGHEST_TICKET_SALE")] } },
        "sales_info.sales_amount[1].type",
      );
      await refuses(
        { sales_info: { sales_amount: [amount("HIGHEST_TICKET_SALE", 12.345)] } },
        "sales_info.sales_amount[0].value",
      );
      await refuses(
        { sales_info: { sales_amount: [{ type: "HIGHEST_TICKET_SALE", value: 1 }] } },
        "sales_info.sales_amount[0].currency",
      );
      await refuses(
        { sales_info: { sales_amount: [{ ...amount("HIGHEST_TICKET_SALE"), currency: "EUR" }] } },
        "sales_info.sales_amount[0].currency",
      );

      await accepts({ sales_info: { card_brands: ["AMEX"] } });
      await accepts({ sales_info: { card_brands: [] } });
      await refuses({ sales_info: { card_brands: ["AMEX", "AMEX"] } }, "sales_info.card_brands[1]");
      await refuses({ sales_info: { card_brands: ["VISA"] } }, "sales_info.card_brands[0]");
    });

    it("the fuzz generator's valid values pass every format; only refine's issues refuse them", async () => {
      const bodies = fc.sample(validValue(probe.request as JsonSchema, {}), { numRuns: 60, seed: 13 });
      for (const body of bodies) {
        const { not_found: _skip, ...rest } = body as Record<string, unknown>;
        const r = await post(rest);
        if (r.status === 200) continue;
        const expected = probe.refine?.(rest as never).map((issue) => issue.field) ?? [];
        assert.deepEqual(
          r.errors.map((e) => e.field),
          expected,
          `${JSON.stringify(rest)} → ${JSON.stringify(r.errors)}`,
        );
      }
    });

    it("cross-field issues are reported together, and before the handler's ENTITY_NOT_FOUND", async () => {
      const r = await post({
        not_found: true,
        business: { addresses: [{ address_type: "LEGAL", line1: "PO Box 1" }, { address_type: "LEGAL" }] },
        sales_info: { sales_method: { retail: 10 } },
      });
      assert.equal(r.status, 400);
      assert.deepEqual(
        r.errors.map((e) => [e.code, e.field]),
        [
          ["BAD_REQUEST", "business.addresses[1].address_type"],
          ["BAD_REQUEST", "business.addresses[0].line1"],
          ["BAD_REQUEST", "sales_info.sales_method"],
        ],
      );
      const found = await post({ not_found: true, sales_info: { sales_method: { retail: 100 } } });
      assert.deepEqual(
        found.errors.map((e) => [e.code, e.field]),
        [["ENTITY_NOT_FOUND", "business_id"]],
      );
    });
  });
}

describe("format names", () => {
  it("differ from ajv-formats' names, which Fastify registers after ours and which would win", async () => {
    const { fullFormats } = await import("ajv-formats/dist/formats.js");
    for (const name of Object.keys(VALUE_FORMATS)) assert.ok(!(name in fullFormats), name);
  });
});

describe("maskSensitive", () => {
  it("shows the last min(4, ⌊L/2⌋) characters and keeps the length", () => {
    assert.equal(maskSensitive("123456789"), "*****6789");
    assert.equal(maskSensitive("000123456789"), "********6789");
    assert.equal(maskSensitive("123456"), "***456");
    assert.equal(maskSensitive("1234"), "**34");
    assert.equal(maskSensitive("12345"), "***45");
    assert.equal(maskSensitive("1"), "*");
    assert.equal(maskSensitive(""), "");
    assert.equal(maskSensitive(null), null);
  });
});
