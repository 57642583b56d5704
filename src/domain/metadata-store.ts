/**
 * Metadata (data.md §9, §4.7) as the domain works with it, and its store calls, part of
 * `DataReads` / `DataWrites` (data-store.ts).
 */
import type { VisibilityScope } from "./visibility.js";

export const METADATA_FIELD_TYPES = ["string", "integer", "boolean"] as const;
export type MetadataFieldType = (typeof METADATA_FIELD_TYPES)[number];
export const METADATA_FIELD_FORMATS = ["ipv4", "ipv6", "email", "uri", "date"] as const;
export type MetadataFieldFormat = (typeof METADATA_FIELD_FORMATS)[number];

/** One field of a definition, defaults filled in (`required: false`, `description`/`format`: null). */
export interface MetadataFieldDefinition {
  type: MetadataFieldType;
  required: boolean;
  description: string | null;
  format: MetadataFieldFormat | null;
}

/** A metadata type of an account: no ID, `metadata_type` names it; it never changes once made. */
export interface MetadataTypeDefinition {
  account_id: string;
  metadata_type: string;
  description: string | null;
  fields: Record<string, MetadataFieldDefinition>;
  /** −1: no limit of the type's own (the 1,000 per subject record of §3.2 still applies). */
  max_count: number;
  created_at: string;
}

export type MetadataDetailValue = string | number | boolean;

export interface MetadataEntry {
  id: string;
  subject_record_id: string;
  metadata_type: string;
  details: Record<string, MetadataDetailValue>;
  /** In link order. */
  linked_entity_ids: string[];
  created_at: string;
  updated_at: string;
}

/** metadata.list's filters: items within one are ORed, the two ANDed; absent means no filter. */
export interface MetadataFilters {
  metadata_type?: readonly string[];
  linked_entity_id?: readonly string[];
}

export interface MetadataReads {
  /** The account's type of this name (case-sensitive), if defined. */
  getMetadataType(accountId: string, metadataType: string): Promise<MetadataTypeDefinition | undefined>;
  /** How many types the account has defined (MAX_METADATA_TYPE_DEFINITIONS, under the account's lock). */
  countMetadataTypes(accountId: string): Promise<number>;
  getVisibleMetadataEntry(id: string, scope: VisibilityScope): Promise<MetadataEntry | undefined>;
  /** The record's entries of this type (MAX_METADATA_TYPE_LIMIT, under the record's lock). */
  countMetadataEntries(subjectRecordId: string, metadataType: string): Promise<number>;
  /** The record's entries matching the filters, by type (byte order), then oldest first, ties by ID. */
  listMetadataEntries(subjectRecordId: string, filters: MetadataFilters): Promise<MetadataEntry[]>;
}

export interface MetadataWrites {
  /** Throws DUPLICATE_METADATA_TYPE when the account has a type of this name (rule index). */
  insertMetadataType(definition: MetadataTypeDefinition): Promise<void>;
  insertMetadataEntry(entry: MetadataEntry): Promise<void>;
  /** Appends links after the entry's existing ones, in the order given, and moves `updated_at`. */
  addMetadataLinks(metadataId: string, entityIds: readonly string[], updatedAt: string): Promise<void>;
}
