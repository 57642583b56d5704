/** The tables of metadata (migrations/010_metadata.ts), part of `Database` (schema.ts). */

export interface MetadataTypeDefinitionTable {
  account_id: string;
  metadata_type: string;
  description: string | null;
  /** JSON text: the field definitions, defaults filled in. */
  fields: string;
  max_count: number;
  created_at: string;
}

export interface MetadataEntryTable {
  id: string;
  subject_record_id: string;
  metadata_type: string;
  /** JSON text: the validated details object. */
  details: string;
  created_at: string;
  updated_at: string;
}

export interface MetadataLinkTable {
  metadata_id: string;
  entity_id: string;
  position: number;
}
