/**
 * The account document-type catalogue (data.md §11, §4.7): which documents an account asks for.
 * Every account has one, seeded with the eight codes of §2.5 when the account is created
 * (operator.ts, in the account's transaction) and, for accounts older than the catalogue, by
 * migration 012. The operator manages it (`vetted admin document-type …`); the API only lists it.
 */
import { ENUM_TOKEN_PATTERN } from "./account-settings.js";
import { newId } from "./ids.js";
import type { Page, PageRequest } from "./records.js";

export const ACCOUNT_DOCUMENT_TYPE_STATUSES = ["ACTIVE", "INACTIVE"] as const;
export type AccountDocumentTypeStatus = (typeof ACCOUNT_DOCUMENT_TYPE_STATUSES)[number];

/** A code is an enum token (data.md §2.4), unique per account. */
export const DOCUMENT_TYPE_CODE_PATTERN = ENUM_TOKEN_PATTERN;

export interface AccountDocumentType {
  id: string;
  account_id: string;
  document_type_code: string;
  document_name: string;
  status: AccountDocumentTypeStatus;
  default_requirement: string;
  alternate_requirements: string[];
  created_at: string;
  updated_at: string;
}

/** What a new account's catalogue holds: the codes of §2.5 in their order, each with its requirement. */
export const SEEDED_DOCUMENT_TYPES: readonly { code: string; requirement: string }[] = [
  { code: "BANK_STATEMENTS", requirement: "Bank statements for the three most recent months." },
  { code: "VOIDED_CHECK", requirement: "A voided check from the account that receives the funds." },
  { code: "BUSINESS_LICENSE", requirement: "A current license to operate the business." },
  {
    code: "ARTICLES_OF_INCORPORATION",
    requirement: "The articles of incorporation or organization filed for the business.",
  },
  { code: "GOVERNMENT_ID", requirement: "A valid government-issued photo ID of the person." },
  {
    code: "PROOF_OF_ADDRESS",
    requirement: "A utility bill or lease from the last 90 days showing the address.",
  },
  { code: "TAX_RETURN", requirement: "The most recent federal tax return of the business." },
  {
    code: "PROCESSING_STATEMENTS",
    requirement: "Card processing statements for the three most recent months.",
  },
];

/** "BANK_STATEMENTS" → "Bank Statements". */
export function documentNameOf(code: string): string {
  return code
    .toLowerCase()
    .split("_")
    .filter((word) => word !== "")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

/**
 * A new account's catalogue. Each type is one millisecond after the one before, so that the list
 * (oldest first, ties by ID) shows them in the order of §2.5 rather than in the order of their
 * random IDs.
 */
export function seededCatalogue(accountId: string, createdAt: string): AccountDocumentType[] {
  const start = Date.parse(createdAt);
  return SEEDED_DOCUMENT_TYPES.map(({ code, requirement }, index) => {
    const at = new Date(start + index).toISOString();
    return {
      id: newId("accountDocumentType"),
      account_id: accountId,
      document_type_code: code,
      document_name: documentNameOf(code),
      status: "ACTIVE",
      default_requirement: requirement,
      alternate_requirements: [],
      created_at: at,
      updated_at: at,
    };
  });
}

/** What an update names; undefined leaves a field as it is. */
export interface AccountDocumentTypePatch {
  document_name?: string;
  status?: AccountDocumentTypeStatus;
  default_requirement?: string;
  alternate_requirements?: string[];
  updated_at: string;
}

export interface DocumentTypeReads {
  /** The account's catalogue, all statuses, oldest first (ties by ID), one page. */
  listAccountDocumentTypes(accountId: string, page: PageRequest): Promise<Page<AccountDocumentType>>;
  getAccountDocumentType(accountId: string, code: string): Promise<AccountDocumentType | undefined>;
}

export interface DocumentTypeWrites {
  /** Inserts a catalogue (an account's seed: its codes are new, by construction). */
  insertAccountDocumentTypes(types: AccountDocumentType[]): Promise<void>;
  /**
   * Inserts the type unless its code is in the account's catalogue already (the unique index; a
   * simultaneous insert of the same code is waited for, never an error). Returns whether it did.
   */
  insertAccountDocumentTypeIfFree(type: AccountDocumentType): Promise<boolean>;
  /** Changes what the patch names; the type as it now is, or undefined when there is none. */
  updateAccountDocumentType(
    accountId: string,
    code: string,
    patch: AccountDocumentTypePatch,
  ): Promise<AccountDocumentType | undefined>;
}

/** An account document type as the API and the operator see it (data.md §4.7). */
export function presentAccountDocumentType(type: AccountDocumentType) {
  return {
    account_document_type_id: type.id,
    document_type_code: type.document_type_code,
    document_name: type.document_name,
    status: type.status,
    requirements: { default_requirement: { requirement_text: type.default_requirement } },
    alternate_requirements: type.alternate_requirements.map((text) => ({ requirement_text: text })),
    created_at: type.created_at,
    updated_at: type.updated_at,
  };
}
