/**
 * The operator's side of the account document-type catalogue (`vetted admin document-type
 * create|update|list`, operator.md; data.md §11): the API only lists it.
 */
import type { Clock } from "../domain/clock.js";
import {
  ACCOUNT_DOCUMENT_TYPE_STATUSES,
  type AccountDocumentType,
  type AccountDocumentTypeStatus,
  DOCUMENT_TYPE_CODE_PATTERN,
  presentAccountDocumentType,
} from "../domain/document-types.js";
import { newId } from "../domain/ids.js";
import type { Store } from "../store/store.js";
import { nameProblem, OperatorError } from "./operator.js";

const REQUIREMENT_MAX_CHARACTERS = 1000;
/** Read in pages this large; a catalogue is a few dozen types. */
const LIST_PAGE = 1000;

export interface DocumentTypeChange {
  accountId: string;
  code: string;
  name?: string;
  requirement?: string;
  /** Given: replaces every alternate requirement (`[]` removes them all). */
  alternates?: string[];
  status?: AccountDocumentTypeStatus;
}

/** Why a requirement text is refused, if it is: 1–1000 characters with at least one non-space. */
export function requirementProblem(text: string): string | undefined {
  const length = [...text].length;
  if (length < 1 || length > REQUIREMENT_MAX_CHARACTERS || !/\S/.test(text)) {
    return `must be 1–${REQUIREMENT_MAX_CHARACTERS} characters with at least one non-space`;
  }
  return undefined;
}

/** Refuses malformed values as usage errors (exit 2), whoever calls: the CLI checks them first too. */
function checkValues(change: DocumentTypeChange): void {
  const invalid = (message: string) => new OperatorError(message, "invalid_value");
  if (!DOCUMENT_TYPE_CODE_PATTERN.test(change.code)) {
    throw invalid(
      `--code must be an enum token (${DOCUMENT_TYPE_CODE_PATTERN.source}), got "${change.code}"`,
    );
  }
  const name = change.name === undefined ? undefined : nameProblem(change.name);
  if (name) throw invalid(`--name ${name}`);
  const requirement = change.requirement === undefined ? undefined : requirementProblem(change.requirement);
  if (requirement) throw invalid(`--requirement ${requirement}`);
  for (const alternate of change.alternates ?? []) {
    const problem = requirementProblem(alternate);
    if (problem) throw invalid(`--alternate ${problem}`);
  }
  if (change.status !== undefined && !ACCOUNT_DOCUMENT_TYPE_STATUSES.includes(change.status)) {
    throw invalid(`--status must be ACTIVE or INACTIVE, got "${change.status}"`);
  }
}

export function createDocumentTypeOperations(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;

  async function requireAccount(id: string) {
    if (!(await store.getAccount(id))) throw new OperatorError(`account ${id} does not exist`, "not_found");
  }

  return {
    async createDocumentType(change: DocumentTypeChange & { name: string; requirement: string }) {
      checkValues(change);
      await requireAccount(change.accountId);
      const at = clock.now().toISOString();
      const type: AccountDocumentType = {
        id: newId("accountDocumentType"),
        account_id: change.accountId,
        document_type_code: change.code,
        document_name: change.name,
        status: change.status ?? "ACTIVE",
        default_requirement: change.requirement,
        alternate_requirements: change.alternates ?? [],
        created_at: at,
        updated_at: at,
      };
      if (!(await store.insertAccountDocumentTypeIfFree(type))) {
        throw new OperatorError(
          `document type ${change.code} is already in the catalogue of account ${change.accountId}`,
          "conflict",
        );
      }
      return presentAccountDocumentType(type);
    },

    /** Changes what `change` names; with nothing named, the type is printed as it is. */
    async updateDocumentType(change: DocumentTypeChange) {
      checkValues(change);
      await requireAccount(change.accountId);
      const named =
        change.name !== undefined ||
        change.requirement !== undefined ||
        change.alternates !== undefined ||
        change.status !== undefined;
      const type = named
        ? await store.updateAccountDocumentType(change.accountId, change.code, {
            document_name: change.name,
            default_requirement: change.requirement,
            alternate_requirements: change.alternates,
            status: change.status,
            updated_at: clock.now().toISOString(),
          })
        : await store.getAccountDocumentType(change.accountId, change.code);
      if (!type) {
        throw new OperatorError(
          `document type ${change.code} is not in the catalogue of account ${change.accountId}`,
          "not_found",
        );
      }
      return presentAccountDocumentType(type);
    },

    /** The whole catalogue, all statuses, oldest first, as account.documentType.list pages it. */
    async listDocumentTypes(accountId: string) {
      await requireAccount(accountId);
      const types: AccountDocumentType[] = [];
      for (;;) {
        const last = types.at(-1);
        const page = await store.listAccountDocumentTypes(accountId, {
          limit: LIST_PAGE,
          after: last && { created_at: last.created_at, id: last.id },
        });
        types.push(...page.items);
        if (!page.hasMore) return types.map(presentAccountDocumentType);
      }
    },
  };
}
