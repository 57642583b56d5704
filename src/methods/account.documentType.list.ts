import { Type } from "@sinclair/typebox";
import { presentAccountDocumentType } from "../domain/document-types.js";
import { assertVisibleAccount } from "./access.js";
import { defineMethod } from "./define.js";
import { listCursors } from "./pagination.js";
import { AccountId, PageParams, PageResult, Strict, Timestamp } from "./schema.js";

const RequirementObject = Type.Object({ requirement_text: Type.String() }, { title: "DocumentRequirement" });

/** data.md §4.7. */
export const AccountDocumentTypeObject = Type.Object(
  {
    account_document_type_id: Type.String({ description: "adt_…" }),
    document_type_code: Type.String({ description: "Enum token, unique in the account's catalogue" }),
    document_name: Type.String(),
    status: Type.Union([Type.Literal("ACTIVE"), Type.Literal("INACTIVE")]),
    requirements: Type.Object({ default_requirement: RequirementObject }),
    alternate_requirements: Type.Array(RequirementObject),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "AccountDocumentType" },
);

export const accountDocumentTypeList = defineMethod({
  name: "account.documentType.list",
  summary: "List the account's document-type catalogue, all statuses, oldest first, with cursor pagination.",
  auth: true,
  write: false,
  request: Strict({ account_id: AccountId, ...PageParams }),
  response: Type.Object({ document_types: Type.Array(AccountDocumentTypeObject), ...PageResult }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed account_id, limit outside 1–1000, or a foreign cursor",
    },
    { code: "ENTITY_NOT_FOUND", when: "The account does not exist or is not visible" },
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (step 1), reported before the lookup (step 3).
    const cursors = listCursors(context.cursorKey, {
      method: "account.documentType.list",
      filter: { account_id: body.account_id },
    });
    const position = cursors.pageRequest(body);
    await assertVisibleAccount(context, body.account_id, "account_id");
    const page = await context.store.listAccountDocumentTypes(body.account_id, position);
    return { document_types: page.items.map(presentAccountDocumentType), ...cursors.pageResult(page) };
  },
});
