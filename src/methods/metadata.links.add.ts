import { Type } from "@sinclair/typebox";
import { callerScope } from "./access.js";
import { DATA_FROZEN, notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { LinkableEntityId } from "./metadata-fields.js";
import { MetadataId, Strict } from "./schema.js";

export const metadataLinksAdd = defineMethod({
  name: "metadata.links.add",
  summary:
    "Link a metadata entry to persons, bank accounts, businesses or locations of its subject record; IDs already linked are skipped.",
  auth: true,
  write: true,
  request: Strict({
    metadata_id: MetadataId,
    entity_ids: Type.Array(LinkableEntityId, { minItems: 1, maxItems: 100 }),
  }),
  response: Type.Object({}),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed metadata_id, or entity_ids not 1 to 100 well-formed IDs",
    },
    notVisible("The metadata entry, or an entity of entity_ids,"),
    DATA_FROZEN,
    {
      code: "SYSTEM_RULE_VIOLATION",
      entity_type: "Subject Record",
      sub_code: "CROSS_SUBJECT_RECORD_REFERENCE",
      when: "An entity of entity_ids belongs to another subject record than the entry",
    },
  ],
  async handler(context, body) {
    await context.write("addMetadataLinks", {
      ...callerScope(context),
      now: context.clock.now().toISOString(),
      metadataId: body.metadata_id,
      entityIds: body.entity_ids,
    });
    return {};
  },
});
