/**
 * What a business application still lacks before it can complete (data.md §14), as one pure
 * function of a snapshot of its subject record: the started check first, then each key of the
 * account's `completion_requirements` in list order. No I/O: record-snapshot.ts reads the snapshot,
 * workflow.canComplete and workflow.complete both judge it here, so they list the same items.
 */
import type { MissingRequirement } from "../errors.js";
import { isAddressComplete } from "./addresses.js";
import { isAdult } from "./calendar.js";
import type { WorkflowState } from "./records.js";

/** Every key an account may list, in §14's table order. */
export const COMPLETION_REQUIREMENT_KEYS = [
  "BUSINESS",
  "BUSINESS_FIELDS",
  "CONTROL_PRONG_OWNER",
  "PRIMARY_BANK_ACCOUNT",
  "SALES_INFO",
  "OWNER_FIELDS",
  "OWNER_ADDRESS",
  "PRIMARY_BANK_ACCOUNT_FIELDS",
  "SALES_INFO_FIELDS",
  "BUSINESS_LOCATION",
] as const;
export type CompletionRequirementKey = (typeof COMPLETION_REQUIREMENT_KEYS)[number];

/** A new account's list (§3.6). */
export const DEFAULT_COMPLETION_REQUIREMENTS: readonly CompletionRequirementKey[] = [
  "BUSINESS",
  "BUSINESS_FIELDS",
  "CONTROL_PRONG_OWNER",
  "PRIMARY_BANK_ACCOUNT",
  "SALES_INFO",
];

export function isCompletionRequirementKey(value: string): value is CompletionRequirementKey {
  return (COMPLETION_REQUIREMENT_KEYS as readonly string[]).includes(value);
}

/** An item of `addresses` (§2.4); `null` is unset. */
export interface AddressFacts {
  address_type: string;
  line1: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface BusinessFacts {
  id: string;
  legal_name: string | null;
  registration_type: string | null;
  tax_id: string | null;
  phone_number: string | null;
  addresses: AddressFacts[];
}

export interface PersonFacts {
  id: string;
  first_name: string | null;
  last_name: string | null;
  /** `YYYY-MM-DD`. */
  date_of_birth: string | null;
  tax_id: string | null;
  addresses: AddressFacts[];
}

export interface OwnerFacts {
  ownership_type: string;
  person: PersonFacts;
}

export interface BusinessBankAccountFacts {
  purposes: string[];
  bank_account: { id: string; bank_account_type: string | null; bank_account_ownership_type: string | null };
}

export interface SalesInfoFacts {
  id: string;
  sales_method: object | null;
  sales_amount: { type: string }[];
}

/** What the store reads of one subject record (domain-store.ts `readRecordData`). */
export interface RecordData {
  business: BusinessFacts | null;
  /** The business's owners, in the order their associations were created. */
  owners: OwnerFacts[];
  /** The business's bank-account associations, in the order they were created. */
  business_bank_accounts: BusinessBankAccountFacts[];
  sales_info: SalesInfoFacts | null;
  /** Whether the business has a location association; absent while locations do not exist. */
  has_business_location?: boolean;
}

/** Everything §14 looks at, read at one moment. */
export interface RecordSnapshot extends Omit<RecordData, "has_business_location"> {
  workflow: { id: string; state: WorkflowState };
  /** Absent while the locations feature does not exist: BUSINESS_LOCATION then reads as met. */
  locations?: { enabled: boolean; has_business_location: boolean };
}

type ItemKind = Pick<MissingRequirement, "code" | "entity_type" | "message" | "related_methods">;

function entityRequired(entity_type: string, message: string, related_methods: string[]): ItemKind {
  return { code: "ENTITY_REQUIRED", entity_type, message, related_methods };
}

function fieldsRequired(entity_type: string, message: string, related_methods: string[]): ItemKind {
  return { code: "FIELDS_REQUIRED", entity_type, message, related_methods };
}

/** Each requirement's item, with its fixed message (docs/data.md lists them). */
export const REQUIREMENT_ITEMS = {
  STARTED_WORKFLOW: {
    code: "STARTED_WORKFLOW_REQUIRED",
    entity_type: "Workflow",
    message: "Workflow with `STARTED` state is required.",
    related_methods: ["workflow.start"],
  },
  BUSINESS: entityRequired("Business", "A business is required.", ["business.create"]),
  BUSINESS_FIELDS: fieldsRequired("Business", "The business lacks required fields.", ["business.update"]),
  CONTROL_PRONG_OWNER: entityRequired(
    "Business Owner",
    "A control-prong owner aged 18 or over is required.",
    ["business.addOwner", "business.updateOwner"],
  ),
  CONTROL_PRONG_OWNER_DATE_OF_BIRTH: fieldsRequired(
    "Person",
    "The control-prong owner's date of birth is required.",
    ["person.update"],
  ),
  PRIMARY_BANK_ACCOUNT: entityRequired(
    "Business Bank Account",
    "A bank account with purpose PRIMARY is required.",
    ["bankAccount.create", "business.addBankAccount", "business.updateBankAccount"],
  ),
  SALES_INFO: entityRequired("Sales Info", "Sales information is required.", ["business.salesInfo.create"]),
  OWNER_FIELDS: fieldsRequired("Person", "The owner lacks required fields.", ["person.update"]),
  OWNER_ADDRESS: fieldsRequired("Person", "The owner lacks a complete residential address.", [
    "person.update",
  ]),
  PRIMARY_BANK_ACCOUNT_FIELDS: fieldsRequired(
    "Bank Account",
    "The primary bank account lacks required fields.",
    ["bankAccount.update"],
  ),
  SALES_INFO_FIELDS: fieldsRequired("Sales Info", "The sales information lacks required fields.", [
    "business.salesInfo.update",
  ]),
  BUSINESS_LOCATION: entityRequired("Business Location", "A business location is required.", [
    "location.create",
    "business.addLocation",
  ]),
} satisfies Record<string, ItemKind>;

/** One item, its keys in §14's order; `fields` only for FIELDS_REQUIRED. */
function item(
  requirement: CompletionRequirementKey | "STARTED_WORKFLOW",
  kind: ItemKind,
  entityId: string | null,
  fields?: string[],
): MissingRequirement {
  const built: MissingRequirement = {
    requirement,
    code: kind.code,
    entity_type: kind.entity_type,
    entity_id: entityId,
    message: kind.message,
    related_methods: [...kind.related_methods],
  };
  if (fields) built.fields = fields;
  return built;
}

const isSet = (value: unknown) => value !== null && value !== undefined;

/** The names whose check failed, in the order given. */
function missingOf(checks: [string, boolean][]): string[] {
  return checks.filter(([, present]) => !present).map(([name]) => name);
}

/** §2.4: line1, city, postal_code and country set, and state too when the country is US. */
function hasCompleteAddress(addresses: AddressFacts[], type: string): boolean {
  const address = addresses.find((a) => a.address_type === type);
  return address !== undefined && isAddressComplete(address);
}

/** Each owner's person once, in the owners' order (a key gives at most one item per entity). */
function ownerPersons(snapshot: RecordSnapshot): PersonFacts[] {
  const persons = new Map<string, PersonFacts>();
  for (const { person } of snapshot.owners) if (!persons.has(person.id)) persons.set(person.id, person);
  return [...persons.values()];
}

function primaryAssociation(snapshot: RecordSnapshot): BusinessBankAccountFacts | undefined {
  return snapshot.business_bank_accounts.find((a) => a.purposes.includes("PRIMARY"));
}

type Evaluate = (snapshot: RecordSnapshot, today: string) => MissingRequirement[];

const EVALUATE: Record<CompletionRequirementKey, Evaluate> = {
  BUSINESS: (s) => (s.business ? [] : [item("BUSINESS", REQUIREMENT_ITEMS.BUSINESS, null)]),

  BUSINESS_FIELDS: ({ business }) => {
    if (!business) return [];
    const fields = missingOf([
      ["legal_name", isSet(business.legal_name)],
      ["registration_type", isSet(business.registration_type)],
      ["tax_id", isSet(business.tax_id)],
      ["phone_number", isSet(business.phone_number)],
      ["addresses.LEGAL", hasCompleteAddress(business.addresses, "LEGAL")],
    ]);
    return fields.length
      ? [item("BUSINESS_FIELDS", REQUIREMENT_ITEMS.BUSINESS_FIELDS, business.id, fields)]
      : [];
  },

  CONTROL_PRONG_OWNER: (s, today) => {
    const controlProng = s.owners.filter((o) => o.ownership_type === "CONTROL_PRONG").map((o) => o.person);
    const births = controlProng.map((p) => p.date_of_birth).filter((date) => date !== null);
    if (births.some((date) => isAdult(date, today))) return [];
    const earliest = controlProng[0];
    // Control-prong owners of which none has a date of birth: ask for the earliest one's.
    if (earliest && births.length === 0) {
      const kind = REQUIREMENT_ITEMS.CONTROL_PRONG_OWNER_DATE_OF_BIRTH;
      return [item("CONTROL_PRONG_OWNER", kind, earliest.id, ["date_of_birth"])];
    }
    return [item("CONTROL_PRONG_OWNER", REQUIREMENT_ITEMS.CONTROL_PRONG_OWNER, null)];
  },

  PRIMARY_BANK_ACCOUNT: (s) =>
    primaryAssociation(s) ? [] : [item("PRIMARY_BANK_ACCOUNT", REQUIREMENT_ITEMS.PRIMARY_BANK_ACCOUNT, null)],

  SALES_INFO: (s) => (s.sales_info ? [] : [item("SALES_INFO", REQUIREMENT_ITEMS.SALES_INFO, null)]),

  OWNER_FIELDS: (s) =>
    ownerPersons(s).flatMap((person) => {
      const fields = missingOf([
        ["first_name", isSet(person.first_name)],
        ["last_name", isSet(person.last_name)],
        ["date_of_birth", isSet(person.date_of_birth)],
        ["tax_id", isSet(person.tax_id)],
      ]);
      return fields.length ? [item("OWNER_FIELDS", REQUIREMENT_ITEMS.OWNER_FIELDS, person.id, fields)] : [];
    }),

  OWNER_ADDRESS: (s) =>
    ownerPersons(s)
      .filter((person) => !hasCompleteAddress(person.addresses, "RESIDENTIAL"))
      .map((person) =>
        item("OWNER_ADDRESS", REQUIREMENT_ITEMS.OWNER_ADDRESS, person.id, ["addresses.RESIDENTIAL"]),
      ),

  PRIMARY_BANK_ACCOUNT_FIELDS: (s) => {
    const account = primaryAssociation(s)?.bank_account;
    if (!account) return [];
    const fields = missingOf([
      ["bank_account_type", isSet(account.bank_account_type)],
      ["bank_account_ownership_type", isSet(account.bank_account_ownership_type)],
    ]);
    const kind = REQUIREMENT_ITEMS.PRIMARY_BANK_ACCOUNT_FIELDS;
    return fields.length ? [item("PRIMARY_BANK_ACCOUNT_FIELDS", kind, account.id, fields)] : [];
  },

  SALES_INFO_FIELDS: ({ sales_info }) => {
    if (!sales_info) return [];
    const amountOf = (type: string) => sales_info.sales_amount.some((amount) => amount.type === type);
    const fields = missingOf([
      ["sales_method", isSet(sales_info.sales_method)],
      ["sales_amount.AVERAGE_INDIVIDUAL_SALE", amountOf("AVERAGE_INDIVIDUAL_SALE")],
      ["sales_amount.AVERAGE_MONTHLY_CREDIT_SALES", amountOf("AVERAGE_MONTHLY_CREDIT_SALES")],
    ]);
    const kind = REQUIREMENT_ITEMS.SALES_INFO_FIELDS;
    return fields.length ? [item("SALES_INFO_FIELDS", kind, sales_info.id, fields)] : [];
  },

  BUSINESS_LOCATION: ({ locations }) => {
    // Met while the locations feature does not exist, or the account has it switched off.
    if (!locations?.enabled || locations.has_business_location) return [];
    return [item("BUSINESS_LOCATION", REQUIREMENT_ITEMS.BUSINESS_LOCATION, null)];
  },
};

/**
 * The items §14 lists for this snapshot: the started check, then each key in list order, each
 * judged on its own (an entity may appear under several keys). `today` is the UTC date,
 * `YYYY-MM-DD`. Empty when the workflow can complete.
 */
export function missingRequirements(
  snapshot: RecordSnapshot,
  keys: readonly CompletionRequirementKey[],
  today: string,
): MissingRequirement[] {
  const started =
    snapshot.workflow.state === "STARTED"
      ? []
      : [item("STARTED_WORKFLOW", REQUIREMENT_ITEMS.STARTED_WORKFLOW, snapshot.workflow.id)];
  return [...started, ...keys.flatMap((key) => EVALUATE[key](snapshot, today))];
}
