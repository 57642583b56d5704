/** Helpers for the tests of metadata.* (data.md §9): types, entries and the exact errors. */
import type { RequestOf, ResponseOf, VettedClient } from "@vetted/client";
import type { WireError } from "../../src/errors.js";
import { expectOk } from "./workflows.js";

export type MetadataObject = ResponseOf<"metadata.get">["metadata"];
type Fields = RequestOf<"metadata.type.define">["fields"];

/** An IP address type: one required ipv4 field, one optional integer. */
export const IP_FIELDS: Fields = {
  ip_v4: { type: "string", required: true, format: "ipv4" },
  port: { type: "integer" },
};

export async function defineType(
  client: VettedClient,
  account_id: string,
  metadata_type: string,
  fields: Fields = IP_FIELDS,
  extra: { max_count?: number; description?: string } = {},
) {
  return expectOk(await client.call("metadata.type.define", { account_id, metadata_type, fields, ...extra }))
    .metadata_type;
}

export async function createMetadata(
  client: VettedClient,
  subject_record_id: string,
  metadata_type: string,
  details: Record<string, string | number | boolean> = { ip_v4: "192.168.0.1" },
): Promise<MetadataObject> {
  return expectOk(
    await client.call("metadata.create", { subject_record_id, metadata: { metadata_type, details } }),
  ).metadata;
}

export async function getMetadata(client: VettedClient, metadata_id: string): Promise<MetadataObject> {
  return expectOk(await client.call("metadata.get", { metadata_id })).metadata;
}

export const METADATA_ERRORS = {
  duplicateType: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The account already has a metadata type of this name",
    entity_type: "Metadata Type",
    sub_code: "DUPLICATE_METADATA_TYPE",
  } satisfies WireError,
  maxTypes: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The account already has 200 metadata types, the most it can define",
    entity_type: "Metadata Type",
    sub_code: "MAX_METADATA_TYPE_DEFINITIONS",
  } satisfies WireError,
  maxEntries: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The Subject Record already holds as many entries of this metadata type as the type allows",
    entity_type: "Subject Record",
    sub_code: "MAX_METADATA_TYPE_LIMIT",
  } satisfies WireError,
  crossRecord: {
    code: "SYSTEM_RULE_VIOLATION",
    message: "The entities to link belong to different subject records",
    entity_type: "Subject Record",
    sub_code: "CROSS_SUBJECT_RECORD_REFERENCE",
  } satisfies WireError,
};
