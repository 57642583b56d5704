import { Type } from "@sinclair/typebox";
import { assertVisibleSubjectRecord } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { defineMethod } from "./define.js";
import { LinkableEntityId, MetadataObject, MetadataTypeName, presentMetadata } from "./metadata-fields.js";
import { Strict, SubjectRecordId } from "./schema.js";

const FilterItems = <T extends ReturnType<typeof Type.String>>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { minItems: 1, maxItems: 100, description }));

export const metadataList = defineMethod({
  name: "metadata.list",
  summary:
    "List a subject record's metadata entries grouped by type (types in byte order, entries oldest first); not paginated.",
  auth: true,
  write: false,
  request: Strict({
    subject_record_id: SubjectRecordId,
    filters: Type.Optional(
      Strict({
        metadata_type: FilterItems(MetadataTypeName, "Only entries of these types"),
        linked_entity_id: FilterItems(LinkableEntityId, "Only entries linked to one of these entities"),
      }),
    ),
  }),
  response: Type.Array(
    Type.Object(
      { metadata_type: Type.String(), entries: Type.Array(MetadataObject) },
      { title: "MetadataGroup" },
    ),
  ),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed subject_record_id, or malformed filters" },
    notVisible("The subject record"),
  ],
  async handler(context, body) {
    await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    const entries = await context.store.listMetadataEntries(body.subject_record_id, body.filters ?? {});
    const groups: { metadata_type: string; entries: ReturnType<typeof presentMetadata>[] }[] = [];
    for (const entry of entries) {
      const last = groups.at(-1);
      if (last?.metadata_type === entry.metadata_type) last.entries.push(presentMetadata(entry));
      else groups.push({ metadata_type: entry.metadata_type, entries: [presentMetadata(entry)] });
    }
    return groups;
  },
});
