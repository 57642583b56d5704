import { Type } from "@sinclair/typebox";
import { newId } from "../domain/ids.js";
import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import {
  MetadataDetailsInput,
  MetadataObject,
  MetadataTypeName,
  presentMetadata,
} from "./metadata-fields.js";
import { Strict, SubjectRecordId } from "./schema.js";

export const metadataCreate = defineMethod({
  name: "metadata.create",
  summary:
    "Add a metadata entry of one of the account's types to a subject record; its details are checked against the type.",
  auth: true,
  write: true,
  request: Strict({
    subject_record_id: SubjectRecordId,
    metadata: Strict({ metadata_type: MetadataTypeName, details: MetadataDetailsInput }),
  }),
  response: Type.Object({ metadata: MetadataObject }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing, malformed or unknown fields; details that do not fit the type's fields and formats",
    },
    notVisible("The subject record, or the metadata type in its account,"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "MAX_METADATA_TYPE_LIMIT",
      when: "The subject record holds the type's max_count entries of it (1000 when max_count is -1)",
    },
  ],
  async handler(context, body) {
    const now = context.clock.now().toISOString();
    const entry = await context.write("createMetadata", {
      ...callerScope(context),
      now,
      entry: {
        id: newId("metadata"),
        subject_record_id: body.subject_record_id,
        metadata_type: body.metadata.metadata_type,
        details: body.metadata.details,
        created_at: now,
        updated_at: now,
      },
    });
    return { metadata: presentMetadata(entry) };
  },
});
