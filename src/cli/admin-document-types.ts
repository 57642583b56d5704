/** `vetted admin document-type create|update|list`: an account's document-type catalogue (src/admin/document-types.ts). */
import type { Command } from "commander";
import { requirementProblem } from "../admin/document-types.js";
import type { Operator } from "../admin/operator.js";
import {
  ACCOUNT_DOCUMENT_TYPE_STATUSES,
  type AccountDocumentTypeStatus,
  DOCUMENT_TYPE_CODE_PATTERN,
} from "../domain/document-types.js";
import { nameValue } from "./flag-values.js";
import type { TableSpec } from "./table.js";
import { UsageError } from "./usage-error.js";

const REQUIREMENT_HELP = "1–1000 characters, at least one not a space";

function code(value: string): string {
  if (!DOCUMENT_TYPE_CODE_PATTERN.test(value))
    throw new UsageError(
      `--code must be an enum token (${DOCUMENT_TYPE_CODE_PATTERN.source}), got "${value}"`,
    );
  return value;
}

function status(value: string): AccountDocumentTypeStatus {
  if (!(ACCOUNT_DOCUMENT_TYPE_STATUSES as readonly string[]).includes(value))
    throw new UsageError(`--status must be ACTIVE or INACTIVE, got "${value}"`);
  return value as AccountDocumentTypeStatus;
}

function requirement(value: string): string {
  const problem = requirementProblem(value);
  if (problem) throw new UsageError(`--requirement ${problem}`);
  return value;
}

/**
 * `--alternate` may repeat; each adds one requirement. A lone `--alternate ""` is the empty list
 * (so `update` can remove every alternate); an empty value beside others is a usage error.
 */
function alternate(value: string, previous: string[] | undefined): string[] {
  if (value === "") {
    if (previous === undefined) return [];
    throw new UsageError('--alternate "" (no alternate requirements) cannot be combined with others');
  }
  if (previous !== undefined && previous.length === 0)
    throw new UsageError('--alternate "" (no alternate requirements) cannot be combined with others');
  const problem = requirementProblem(value);
  if (problem) throw new UsageError(`--alternate ${problem}`);
  return [...(previous ?? []), value];
}

type Action = <O extends object>(
  command: Command,
  run: (operator: Operator, options: O) => Promise<Record<string, unknown>>,
  table?: TableSpec,
) => (options: O) => Promise<void>;

interface TypeFlags {
  account: string;
  code: string;
  name?: string;
  requirement?: string;
  alternate?: string[];
  status?: AccountDocumentTypeStatus;
}

export function registerDocumentTypeCommands(
  admin: Command,
  leaf: (parent: Command, name: string, description: string) => Command,
  action: Action,
): void {
  const documentType = admin.command("document-type").description("an account's document-type catalogue");
  const changeOf = (o: TypeFlags) => ({
    accountId: o.account,
    code: o.code,
    name: o.name,
    requirement: o.requirement,
    alternates: o.alternate,
    status: o.status,
  });

  const create = leaf(documentType, "create", "add a document type to an account's catalogue")
    .requiredOption("--account <account_id>")
    .requiredOption("--code <CODE>", "enum token, new to the catalogue", code)
    .requiredOption("--name <name>", "1–100 characters, at least one not a space", nameValue)
    .requiredOption("--requirement <text>", `the default requirement: ${REQUIREMENT_HELP}`, requirement)
    .option("--alternate <text>", "an alternate requirement (repeat for more)", alternate)
    .option("--status <status>", "ACTIVE (default) or INACTIVE", status);
  create.action(
    action(create, async (op, o: TypeFlags & { name: string; requirement: string }) =>
      op.createDocumentType({ ...changeOf(o), name: o.name, requirement: o.requirement }),
    ),
  );

  const update = leaf(documentType, "update", "change a document type of an account's catalogue")
    .requiredOption("--account <account_id>")
    .requiredOption("--code <CODE>", "the type's code", code)
    .option("--name <name>", "1–100 characters, at least one not a space", nameValue)
    .option("--requirement <text>", `the default requirement: ${REQUIREMENT_HELP}`, requirement)
    .option(
      "--alternate <text>",
      'replaces every alternate requirement (repeat for more; a lone "" removes them all)',
      alternate,
    )
    .option("--status <status>", "ACTIVE or INACTIVE", status);
  update.action(action(update, async (op, o: TypeFlags) => op.updateDocumentType(changeOf(o))));

  const list = leaf(documentType, "list", "list an account's document types, oldest first").requiredOption(
    "--account <account_id>",
  );
  list.action(
    action(
      list,
      async (op, o: { account: string }) => ({ document_types: await op.listDocumentTypes(o.account) }),
      {
        key: "document_types",
        columns: ["account_document_type_id", "document_type_code", "status", "document_name"],
        plural: "document types",
      },
    ),
  );
}
