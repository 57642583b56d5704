/**
 * The completion requirements of data.md §14 as a pure function: each key met and unmet, the
 * spec's example reproduced byte for byte, the order of items, the adult boundary and 29 February.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { isAdult, utcDate, yearsBefore } from "../src/domain/calendar.js";
import {
  type AddressFacts,
  type BusinessFacts,
  COMPLETION_REQUIREMENT_KEYS,
  type CompletionRequirementKey,
  DEFAULT_COMPLETION_REQUIREMENTS,
  missingRequirements,
  type PersonFacts,
  REQUIREMENT_ITEMS,
  type RecordSnapshot,
} from "../src/domain/completion-requirements.js";

const TODAY = "2025-03-24";
const ADULT = "2007-03-24";

const legal = (patch: Partial<AddressFacts> = {}): AddressFacts => ({
  address_type: "LEGAL",
  line1: "1 Main St",
  city: "Springfield",
  state: "IL",
  postal_code: "62701",
  country: "US",
  ...patch,
});

const business = (patch: Partial<BusinessFacts> = {}): BusinessFacts => ({
  id: "b_1",
  legal_name: "Acme",
  registration_type: "LLC",
  tax_id: "123456789",
  phone_number: "2025550143",
  addresses: [legal()],
  ...patch,
});

const person = (id: string, patch: Partial<PersonFacts> = {}): PersonFacts => ({
  id,
  first_name: "Ann",
  last_name: "Lee",
  date_of_birth: ADULT,
  tax_id: "123456789",
  addresses: [{ ...legal(), address_type: "RESIDENTIAL" }],
  ...patch,
});

const controlProng = (p: PersonFacts) => ({ ownership_type: "CONTROL_PRONG", person: p });
const ownershipProng = (p: PersonFacts) => ({ ownership_type: "OWNERSHIP_PRONG", person: p });
const bankAccount = (id: string, patch = {}) => ({
  id,
  bank_account_type: "CHECKING",
  bank_account_ownership_type: "BUSINESS",
  ...patch,
});
const FULL_SALES_METHOD = { retail: 100, telephone: 0, online: 0, keyed: 0 };
const amount = (type: string) => ({ type, value: 10, currency: "USD" });

/** A STARTED application whose record meets every key. */
function complete(patch: Partial<RecordSnapshot> = {}): RecordSnapshot {
  return {
    workflow: { id: "w_1", state: "STARTED" },
    business: business(),
    owners: [controlProng(person("p_1"))],
    business_bank_accounts: [{ purposes: ["PRIMARY"], bank_account: bankAccount("ba_1") }],
    sales_info: {
      id: "bsi_1",
      sales_method: FULL_SALES_METHOD,
      sales_amount: [amount("AVERAGE_INDIVIDUAL_SALE"), amount("AVERAGE_MONTHLY_CREDIT_SALES")],
    },
    locations: { enabled: true, has_business_location: true },
    ...patch,
  };
}

const EMPTY: RecordSnapshot = {
  workflow: { id: "w_1", state: "STARTED" },
  business: null,
  owners: [],
  business_bank_accounts: [],
  sales_info: null,
  locations: { enabled: true, has_business_location: false },
};

/** The items one key yields, as [code, entity_id, fields]. */
function judged(key: CompletionRequirementKey, snapshot: RecordSnapshot, today = TODAY) {
  return missingRequirements(snapshot, [key], today).map((i) => [i.code, i.entity_id, i.fields]);
}

describe("completion requirements (data.md §14)", () => {
  it("an empty list leaves only the started check", () => {
    assert.deepEqual(missingRequirements(EMPTY, [], TODAY), []);
    const created = { ...EMPTY, workflow: { id: "w_9", state: "CREATED" as const } };
    assert.deepEqual(missingRequirements(created, [], TODAY), [
      {
        requirement: "STARTED_WORKFLOW",
        code: "STARTED_WORKFLOW_REQUIRED",
        entity_type: "Workflow",
        entity_id: "w_9",
        message: "Workflow with `STARTED` state is required.",
        related_methods: ["workflow.start"],
      },
    ]);
  });

  it("a record meeting every key lacks nothing", () => {
    assert.deepEqual(missingRequirements(complete(), COMPLETION_REQUIREMENT_KEYS, TODAY), []);
  });

  it("reproduces §14's example byte for byte", () => {
    const snapshot: RecordSnapshot = {
      ...EMPTY,
      business: {
        id: "b_7eobHllxknr7mfqbjnX2Pp",
        legal_name: "Acme",
        registration_type: null,
        tax_id: null,
        phone_number: null,
        addresses: [],
      },
    };
    const missing = missingRequirements(snapshot, DEFAULT_COMPLETION_REQUIREMENTS, TODAY);
    const example = `{ "can_complete": false, "missing_requirements": [
  { "requirement": "BUSINESS_FIELDS", "code": "FIELDS_REQUIRED", "entity_type": "Business", "entity_id": "b_7eobHllxknr7mfqbjnX2Pp",
    "message": "The business lacks required fields.", "related_methods": ["business.update"],
    "fields": ["registration_type", "tax_id", "phone_number", "addresses.LEGAL"] },
  { "requirement": "CONTROL_PRONG_OWNER", "code": "ENTITY_REQUIRED", "entity_type": "Business Owner", "entity_id": null,
    "message": "A control-prong owner aged 18 or over is required.", "related_methods": ["business.addOwner", "business.updateOwner"] },
  { "requirement": "PRIMARY_BANK_ACCOUNT", "code": "ENTITY_REQUIRED", "entity_type": "Business Bank Account", "entity_id": null,
    "message": "A bank account with purpose PRIMARY is required.",
    "related_methods": ["bankAccount.create", "business.addBankAccount", "business.updateBankAccount"] },
  { "requirement": "SALES_INFO", "code": "ENTITY_REQUIRED", "entity_type": "Sales Info", "entity_id": null,
    "message": "Sales information is required.", "related_methods": ["business.salesInfo.create"] } ] }`;
    const data = { can_complete: false, missing_requirements: missing };
    assert.equal(JSON.stringify(data), JSON.stringify(JSON.parse(example)));
  });

  it("lists every key's item, in list order after the started check; fields only with FIELDS_REQUIRED", () => {
    const bare = {
      ...complete(),
      workflow: { id: "w_1", state: "CREATED" as const },
      business: business({ legal_name: null }),
      owners: [controlProng(person("p_1", { date_of_birth: null, tax_id: null, addresses: [] }))],
      business_bank_accounts: [
        { purposes: ["PRIMARY"], bank_account: bankAccount("ba_1", { bank_account_type: null }) },
      ],
      sales_info: { id: "bsi_1", sales_method: null, sales_amount: [] },
      locations: { enabled: true, has_business_location: false },
    };
    const reversed = [...COMPLETION_REQUIREMENT_KEYS].reverse();
    const missing = missingRequirements(bare, reversed, TODAY);
    assert.deepEqual(
      missing.map((i) => [i.requirement, i.code, i.entity_type, i.entity_id, i.message]),
      [
        [
          "STARTED_WORKFLOW",
          "STARTED_WORKFLOW_REQUIRED",
          "Workflow",
          "w_1",
          "Workflow with `STARTED` state is required.",
        ],
        [
          "BUSINESS_LOCATION",
          "ENTITY_REQUIRED",
          "Business Location",
          null,
          "A business location is required.",
        ],
        [
          "SALES_INFO_FIELDS",
          "FIELDS_REQUIRED",
          "Sales Info",
          "bsi_1",
          "The sales information lacks required fields.",
        ],
        [
          "PRIMARY_BANK_ACCOUNT_FIELDS",
          "FIELDS_REQUIRED",
          "Bank Account",
          "ba_1",
          "The primary bank account lacks required fields.",
        ],
        [
          "OWNER_ADDRESS",
          "FIELDS_REQUIRED",
          "Person",
          "p_1",
          "The owner lacks a complete residential address.",
        ],
        ["OWNER_FIELDS", "FIELDS_REQUIRED", "Person", "p_1", "The owner lacks required fields."],
        [
          "CONTROL_PRONG_OWNER",
          "FIELDS_REQUIRED",
          "Person",
          "p_1",
          "The control-prong owner's date of birth is required.",
        ],
        ["BUSINESS_FIELDS", "FIELDS_REQUIRED", "Business", "b_1", "The business lacks required fields."],
      ],
    );
    for (const i of missing) assert.equal("fields" in i, i.code === "FIELDS_REQUIRED", i.requirement);
    assert.deepEqual(Object.keys(missing[5] ?? {}), [
      "requirement",
      "code",
      "entity_type",
      "entity_id",
      "message",
      "related_methods",
      "fields",
    ]);
    // An empty record: the entity keys report what is absent; the field keys stay silent.
    assert.deepEqual(
      missingRequirements(EMPTY, COMPLETION_REQUIREMENT_KEYS, TODAY).map((i) => [
        i.requirement,
        i.related_methods,
      ]),
      [
        ["BUSINESS", ["business.create"]],
        ["CONTROL_PRONG_OWNER", ["business.addOwner", "business.updateOwner"]],
        [
          "PRIMARY_BANK_ACCOUNT",
          ["bankAccount.create", "business.addBankAccount", "business.updateBankAccount"],
        ],
        ["SALES_INFO", ["business.salesInfo.create"]],
        ["BUSINESS_LOCATION", ["location.create", "business.addLocation"]],
      ],
    );
  });

  it("BUSINESS: met when the record has a business", () => {
    assert.deepEqual(judged("BUSINESS", EMPTY), [["ENTITY_REQUIRED", null, undefined]]);
    assert.deepEqual(judged("BUSINESS", complete()), []);
  });

  it("BUSINESS_FIELDS: the missing fields in the table's order, a complete LEGAL address", () => {
    assert.deepEqual(judged("BUSINESS_FIELDS", EMPTY), []);
    const none = business({
      legal_name: null,
      registration_type: null,
      tax_id: null,
      phone_number: null,
      addresses: [],
    });
    const all = ["legal_name", "registration_type", "tax_id", "phone_number", "addresses.LEGAL"];
    assert.deepEqual(judged("BUSINESS_FIELDS", complete({ business: none })), [
      ["FIELDS_REQUIRED", "b_1", all],
    ]);
    for (const field of ["legal_name", "registration_type", "tax_id", "phone_number"]) {
      const lacking = complete({ business: business({ [field]: null }) });
      assert.deepEqual(judged("BUSINESS_FIELDS", lacking), [["FIELDS_REQUIRED", "b_1", [field]]], field);
    }
    const incomplete: AddressFacts[][] = [
      [legal({ line1: null })],
      [legal({ city: null })],
      [legal({ postal_code: null })],
      [legal({ country: null })],
      [legal({ state: null })],
      [legal({ address_type: "MAILING" })],
    ];
    for (const addresses of incomplete) {
      const lacking = complete({ business: business({ addresses }) });
      assert.deepEqual(judged("BUSINESS_FIELDS", lacking), [["FIELDS_REQUIRED", "b_1", ["addresses.LEGAL"]]]);
    }
    // Outside the US the state may stay unset; line2 is never required.
    const abroad = [{ ...legal({ state: null, country: "GB", postal_code: "SW1A 1AA" }) }];
    assert.deepEqual(judged("BUSINESS_FIELDS", complete({ business: business({ addresses: abroad }) })), []);
  });

  it("CONTROL_PRONG_OWNER: an adult control-prong owner; else who lacks what", () => {
    const entity = [["ENTITY_REQUIRED", null, undefined]];
    assert.deepEqual(judged("CONTROL_PRONG_OWNER", EMPTY), entity, "no business");
    assert.deepEqual(
      judged("CONTROL_PRONG_OWNER", complete({ owners: [ownershipProng(person("p_1"))] })),
      entity,
    );
    const undated = (id: string) => controlProng(person(id, { date_of_birth: null }));
    // None dated: the earliest control-prong owner's person is asked for a date of birth.
    const owners = [ownershipProng(person("p_0")), undated("p_1"), undated("p_2")];
    assert.deepEqual(judged("CONTROL_PRONG_OWNER", complete({ owners })), [
      ["FIELDS_REQUIRED", "p_1", ["date_of_birth"]],
    ]);
    // A dated minor among them: a date of birth alone would not do, an adult owner is required.
    const minor = controlProng(person("p_3", { date_of_birth: "2010-01-01" }));
    assert.deepEqual(judged("CONTROL_PRONG_OWNER", complete({ owners: [undated("p_1"), minor] })), entity);
    assert.deepEqual(judged("CONTROL_PRONG_OWNER", complete({ owners: [minor] })), entity);
    const adult = controlProng(person("p_4"));
    assert.deepEqual(judged("CONTROL_PRONG_OWNER", complete({ owners: [undated("p_1"), minor, adult] })), []);
  });

  it("PRIMARY_BANK_ACCOUNT: some association has purpose PRIMARY", () => {
    const entity = [["ENTITY_REQUIRED", null, undefined]];
    assert.deepEqual(judged("PRIMARY_BANK_ACCOUNT", EMPTY), entity);
    const fees = { purposes: ["FEES"], bank_account: bankAccount("ba_1") };
    const none = { purposes: [], bank_account: bankAccount("ba_2") };
    assert.deepEqual(
      judged("PRIMARY_BANK_ACCOUNT", complete({ business_bank_accounts: [fees, none] })),
      entity,
    );
    const primary = { purposes: ["FEES", "PRIMARY"], bank_account: bankAccount("ba_3") };
    assert.deepEqual(
      judged("PRIMARY_BANK_ACCOUNT", complete({ business_bank_accounts: [fees, primary] })),
      [],
    );
  });

  it("SALES_INFO: the business has sales info", () => {
    assert.deepEqual(judged("SALES_INFO", EMPTY), [["ENTITY_REQUIRED", null, undefined]]);
    assert.deepEqual(judged("SALES_INFO", complete()), []);
  });

  it("OWNER_FIELDS: one item per owner's person lacking any of the four, in the owners' order", () => {
    assert.deepEqual(judged("OWNER_FIELDS", EMPTY), []);
    const lacking = person("p_2", { first_name: null, last_name: null, date_of_birth: null, tax_id: null });
    const owners = [
      ownershipProng(person("p_1", { tax_id: null })),
      controlProng(lacking),
      ownershipProng(person("p_3")),
    ];
    assert.deepEqual(judged("OWNER_FIELDS", complete({ owners })), [
      ["FIELDS_REQUIRED", "p_1", ["tax_id"]],
      ["FIELDS_REQUIRED", "p_2", ["first_name", "last_name", "date_of_birth", "tax_id"]],
    ]);
    // At most one item per entity: a person listed twice is reported once.
    const twice = [controlProng(lacking), ownershipProng(lacking)];
    assert.equal(judged("OWNER_FIELDS", complete({ owners: twice })).length, 1);
  });

  it("OWNER_ADDRESS: one item per owner's person without a complete RESIDENTIAL address", () => {
    assert.deepEqual(judged("OWNER_ADDRESS", EMPTY), []);
    const mailing = person("p_1", { addresses: [{ ...legal(), address_type: "MAILING" }] });
    const partial = person("p_2", { addresses: [{ ...legal({ city: null }), address_type: "RESIDENTIAL" }] });
    const owners = [controlProng(mailing), ownershipProng(person("p_3")), ownershipProng(partial)];
    assert.deepEqual(judged("OWNER_ADDRESS", complete({ owners })), [
      ["FIELDS_REQUIRED", "p_1", ["addresses.RESIDENTIAL"]],
      ["FIELDS_REQUIRED", "p_2", ["addresses.RESIDENTIAL"]],
    ]);
  });

  it("PRIMARY_BANK_ACCOUNT_FIELDS: the PRIMARY bank account's type and ownership type", () => {
    assert.deepEqual(judged("PRIMARY_BANK_ACCOUNT_FIELDS", EMPTY), []);
    const bare = bankAccount("ba_2", { bank_account_type: null, bank_account_ownership_type: null });
    const other = { purposes: ["FEES"], bank_account: bankAccount("ba_1", { bank_account_type: null }) };
    const associations = (account: ReturnType<typeof bankAccount>) => [
      other,
      { purposes: ["PRIMARY"], bank_account: account },
    ];
    assert.deepEqual(
      judged("PRIMARY_BANK_ACCOUNT_FIELDS", complete({ business_bank_accounts: associations(bare) })),
      [["FIELDS_REQUIRED", "ba_2", ["bank_account_type", "bank_account_ownership_type"]]],
    );
    const untyped = bankAccount("ba_2", { bank_account_ownership_type: null });
    assert.deepEqual(
      judged("PRIMARY_BANK_ACCOUNT_FIELDS", complete({ business_bank_accounts: associations(untyped) })),
      [["FIELDS_REQUIRED", "ba_2", ["bank_account_ownership_type"]]],
    );
    // Only the PRIMARY account counts, and without one the key is silent.
    assert.deepEqual(
      judged("PRIMARY_BANK_ACCOUNT_FIELDS", complete({ business_bank_accounts: [other] })),
      [],
    );
  });

  it("SALES_INFO_FIELDS: a sales method and the two sales amounts", () => {
    assert.deepEqual(judged("SALES_INFO_FIELDS", EMPTY), []);
    const all = [
      "sales_method",
      "sales_amount.AVERAGE_INDIVIDUAL_SALE",
      "sales_amount.AVERAGE_MONTHLY_CREDIT_SALES",
    ];
    const bare = { id: "bsi_1", sales_method: null, sales_amount: [amount("HIGHEST_TICKET_SALE")] };
    assert.deepEqual(judged("SALES_INFO_FIELDS", complete({ sales_info: bare })), [
      ["FIELDS_REQUIRED", "bsi_1", all],
    ]);
    const partly = {
      id: "bsi_1",
      sales_method: FULL_SALES_METHOD,
      sales_amount: [amount("AVERAGE_MONTHLY_CREDIT_SALES")],
    };
    assert.deepEqual(judged("SALES_INFO_FIELDS", complete({ sales_info: partly })), [
      ["FIELDS_REQUIRED", "bsi_1", ["sales_amount.AVERAGE_INDIVIDUAL_SALE"]],
    ]);
  });

  it("BUSINESS_LOCATION: a location association, met while locations are disabled or do not exist", () => {
    const entity = [["ENTITY_REQUIRED", null, undefined]];
    assert.deepEqual(judged("BUSINESS_LOCATION", EMPTY), entity, "no business");
    assert.deepEqual(
      judged("BUSINESS_LOCATION", complete({ locations: { enabled: true, has_business_location: false } })),
      entity,
    );
    assert.deepEqual(
      judged("BUSINESS_LOCATION", complete({ locations: { enabled: false, has_business_location: false } })),
      [],
    );
    const { locations: _, ...withoutLocations } = EMPTY;
    assert.deepEqual(judged("BUSINESS_LOCATION", withoutLocations), []);
  });

  it("keys are judged apart: one entity under several keys, items never merged", () => {
    const owners = [controlProng(person("p_1", { tax_id: null, addresses: [] }))];
    const missing = missingRequirements(
      complete({ owners }),
      ["OWNER_ADDRESS", "OWNER_FIELDS", "OWNER_ADDRESS"],
      TODAY,
    );
    assert.deepEqual(
      missing.map((i) => [i.requirement, i.entity_id]),
      [
        ["OWNER_ADDRESS", "p_1"],
        ["OWNER_FIELDS", "p_1"],
        ["OWNER_ADDRESS", "p_1"],
      ],
    );
  });

  it("adult: born on or before today minus 18 years, to the day", () => {
    const owners = (dob: string) => [controlProng(person("p_1", { date_of_birth: dob }))];
    assert.deepEqual(judged("CONTROL_PRONG_OWNER", complete({ owners: owners("2007-03-24") })), []);
    assert.equal(judged("CONTROL_PRONG_OWNER", complete({ owners: owners("2007-03-25") })).length, 1);
    assert.equal(isAdult("2007-03-24", TODAY), true);
    assert.equal(isAdult("2007-03-25", TODAY), false);
  });

  it("29 February: the earlier year's 28 February when that year lacks it", () => {
    assert.equal(yearsBefore("2024-02-29", 18), "2006-02-28");
    assert.equal(yearsBefore("2024-02-29", 4), "2020-02-29");
    assert.equal(yearsBefore("2104-02-29", 4), "2100-02-28", "a century is a common year");
    assert.equal(yearsBefore("2404-02-29", 4), "2400-02-29", "unless divisible by 400");
    assert.equal(yearsBefore("2025-03-01", 18), "2007-03-01");
    assert.equal(isAdult("2006-02-28", "2024-02-29"), true);
    assert.equal(isAdult("2006-03-01", "2024-02-29"), false);
    // Born on 29 February: adult on the 1 March of the 18th year, not on 28 February.
    assert.equal(isAdult("2004-02-29", "2022-02-28"), false);
    assert.equal(isAdult("2004-02-29", "2022-03-01"), true);
    const owners = [controlProng(person("p_1", { date_of_birth: "2004-02-29" }))];
    assert.equal(judged("CONTROL_PRONG_OWNER", complete({ owners }), "2022-02-28").length, 1);
    assert.deepEqual(judged("CONTROL_PRONG_OWNER", complete({ owners }), "2022-03-01"), []);
  });

  it("docs/data.md lists every message", () => {
    const docs = readFileSync(new URL("../docs/data.md", import.meta.url), "utf8").replaceAll("\\`", "`");
    const rows = docs.split("\n");
    for (const { code, message } of Object.values(REQUIREMENT_ITEMS)) {
      const listed = rows.some((row) => row.includes(`| \`${code}\``) && row.includes(`| ${message} `));
      assert.ok(listed, message);
    }
  });

  it("today is the UTC date", () => {
    assert.equal(utcDate(new Date("2025-03-24T23:59:59.999Z")), "2025-03-24");
    assert.equal(utcDate(new Date("2025-03-25T01:00:00+02:00")), "2025-03-24");
  });
});
