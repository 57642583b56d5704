import { Type } from "@sinclair/typebox";
import type { MetadataFieldDefinition } from "../domain/metadata-store.js";
import { callerScope } from "./access.js";
import { BAD_FIELDS, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { TextN } from "./formats/index.js";
import {
  MetadataFieldsInput,
  MetadataTypeName,
  MetadataTypeObject,
  metadataTypeIssues,
  presentMetadataType,
} from "./metadata-fields.js";
import { AccountId, Strict } from "./schema.js";

export const metadataTypeDefine = defineMethod({
  name: "metadata.type.define",
  summary:
    "Define a metadata type of the account: its typed fields and how many entries a subject record may hold.",
  auth: true,
  write: true,
  request: Strict({
    account_id: AccountId,
    metadata_type: MetadataTypeName,
    description: Type.Optional(TextN(500)),
    fields: MetadataFieldsInput,
    max_count: Type.Optional(
      Type.Integer({
        minimum: -1,
        maximum: 1000,
        description: "-1 (default: no limit of its own) or 1 to 1000",
      }),
    ),
  }),
  response: Type.Object({ metadata_type: MetadataTypeObject }),
  refine: metadataTypeIssues,
  errors: [
    BAD_FIELDS,
    notVisible("The account"),
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Metadata Type",
      sub_code: "DUPLICATE_METADATA_TYPE",
      when: "The account already has a metadata type of this name (names are case-sensitive)",
    },
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Metadata Type",
      sub_code: "MAX_METADATA_TYPE_DEFINITIONS",
      when: "The account already has 200 metadata types",
    },
  ],
  async handler(context, body) {
    const fields: Record<string, MetadataFieldDefinition> = {};
    for (const [name, field] of Object.entries(body.fields)) {
      fields[name] = {
        type: field.type,
        required: field.required ?? false,
        description: field.description ?? null,
        format: field.format ?? null,
      };
    }
    const definition = await context.write("defineMetadataType", {
      scope: callerScope(context).scope,
      definition: {
        account_id: body.account_id,
        metadata_type: body.metadata_type,
        description: body.description ?? null,
        fields,
        max_count: body.max_count ?? -1,
        created_at: context.clock.now().toISOString(),
      },
    });
    return { metadata_type: presentMetadataType(definition) };
  },
});
