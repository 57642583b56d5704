/** Request and response schemas of metadata.* (data.md §9, §4.7), and its presenters. */
import { Type } from "@sinclair/typebox";
import { LINKABLE_PREFIXES } from "../domain/metadata.js";
import {
  METADATA_FIELD_FORMATS,
  METADATA_FIELD_TYPES,
  type MetadataEntry,
  type MetadataTypeDefinition,
} from "../domain/metadata-store.js";
import { TextN } from "./formats/index.js";
import type { BadRequestIssue } from "./formats/issues.js";
import { Id, Nullable, Strict, StringEnum, Timestamp } from "./schema.js";

const NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,63}$";
const NAME_REGEX = new RegExp(NAME_PATTERN);

/** A metadata type's name, case-sensitive: `IP_ADDRESS` and `ip_address` are two types. */
export const MetadataTypeName = Type.String({
  pattern: NAME_PATTERN,
  description: "Metadata type name: a letter, then up to 63 letters, digits or underscores (case-sensitive)",
});

/** An ID a metadata entry can link: a person, bank account, business or location. */
export const LinkableEntityId = Id("Person, bank account, business or location ID", ...LINKABLE_PREFIXES);

export const MetadataFieldInput = Strict(
  {
    type: StringEnum(METADATA_FIELD_TYPES, "METADATA_FIELD_TYPES"),
    required: Type.Optional(
      Type.Boolean({ description: "Whether every entry must give it (default false)" }),
    ),
    description: Type.Optional(TextN(500)),
    format: Type.Optional(
      StringEnum(METADATA_FIELD_FORMATS, "METADATA_DEFINITION_FIELDS_FORMAT; only with type string"),
    ),
  },
  { title: "MetadataFieldInput" },
);

export const MetadataFieldsInput = Type.Record(Type.String({ pattern: NAME_PATTERN }), MetadataFieldInput, {
  minProperties: 1,
  maxProperties: 50,
  description: "1 to 50 fields by name (a letter, then up to 63 letters, digits or underscores)",
});

/** Scalars only: `null`, objects and arrays are never a field's value (data.md §9.2). */
export const MetadataDetailsInput = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Integer(), Type.Boolean()]),
  { maxProperties: 50, description: "The entry's values, judged against its type's fields" },
);

/** `format` only on `string` fields; `max_count` −1 or 1–1000 (the schema lets 0 through). */
export function metadataTypeIssues(body: {
  fields: Record<string, { type: string; format?: string }>;
  max_count?: number;
}): BadRequestIssue[] {
  const issues: BadRequestIssue[] = [];
  for (const [name, field] of Object.entries(body.fields)) {
    // The record's key pattern documents the rule; the schema's validator does not apply it.
    if (!NAME_REGEX.test(name))
      issues.push({
        field: `fields.${name}`,
        message: "must be named by a letter, then up to 63 letters, digits or underscores",
      });
    if (field.format !== undefined && field.type !== "string")
      issues.push({ field: `fields.${name}.format`, message: "is allowed only on a field of type string" });
  }
  if (body.max_count === 0)
    issues.push({ field: "max_count", message: "must be -1 (no limit) or 1 to 1000" });
  return issues;
}

const MetadataFieldObject = Type.Object(
  {
    type: Type.String(),
    required: Type.Boolean(),
    description: Nullable(Type.String()),
    format: Nullable(Type.String()),
  },
  { title: "MetadataField" },
);

export const MetadataTypeObject = Type.Object(
  {
    metadata_type: Type.String(),
    description: Nullable(Type.String()),
    fields: Type.Record(Type.String(), MetadataFieldObject),
    max_count: Type.Integer(),
    metadata_type_owner: Type.Literal("ACCOUNT"),
    created_at: Timestamp,
  },
  { title: "MetadataType" },
);

export function presentMetadataType(definition: MetadataTypeDefinition) {
  return {
    metadata_type: definition.metadata_type,
    description: definition.description,
    fields: definition.fields,
    max_count: definition.max_count,
    metadata_type_owner: "ACCOUNT" as const,
    created_at: definition.created_at,
  };
}

export const MetadataObject = Type.Object(
  {
    metadata_id: Type.String(),
    subject_record_id: Type.String(),
    metadata_type: Type.String(),
    metadata_type_owner: Type.Literal("ACCOUNT"),
    details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    linked_entity_ids: Type.Array(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "Metadata" },
);

export function presentMetadata(entry: MetadataEntry) {
  return {
    metadata_id: entry.id,
    subject_record_id: entry.subject_record_id,
    metadata_type: entry.metadata_type,
    metadata_type_owner: "ACCOUNT" as const,
    details: entry.details,
    linked_entity_ids: entry.linked_entity_ids,
    created_at: entry.created_at,
    updated_at: entry.updated_at,
  };
}
