/** metadata.type.define, metadata.create and metadata.links.add as write procedures (data.md §9). */
import { notFound } from "../errors.js";
import {
  crossSubjectRecordReference,
  duplicateMetadataType,
  maxMetadataTypeDefinitions,
  maxMetadataTypeLimit,
} from "./data-errors.js";
import { type DataWriteContext, entityForDataWrite, subjectRecordForDataWrite } from "./data-writes.js";
import type { DomainReads, DomainStore } from "./domain-store.js";
import { entityEvent } from "./events.js";
import { visibleAccount, visibleSubjectRecord } from "./lookups.js";
import { assertValidDetails } from "./metadata-details.js";
import type { MetadataEntry, MetadataTypeDefinition } from "./metadata-store.js";
import type { VisibilityScope } from "./visibility.js";

/** Metadata types per account (data.md §3.7). */
export const MAX_METADATA_TYPES = 200;
/** Entries of one type per subject record when the type's `max_count` is −1 (data.md §3.2). */
export const MAX_METADATA_ENTRIES_PER_TYPE = 1000;

/**
 * The kinds of entity a metadata entry may link (data.md §9.4), by ID prefix: each answers the
 * entity's subject record if it is visible. A prefix without a lookup here matches nothing
 * (ENTITY_NOT_FOUND). Locations: `l_: { name: "Location", find: (reads, id, scope) => reads.getVisibleLocation(id, scope) }`.
 */
const LINKABLE: Record<string, LinkableKind> = {
  p_: { name: "Person", find: (reads, id, scope) => reads.getVisiblePerson(id, scope) },
  ba_: { name: "Bank Account", find: (reads, id, scope) => reads.getVisibleBankAccount(id, scope) },
  b_: { name: "Business", find: (reads, id, scope) => reads.getVisibleBusiness(id, scope) },
  l_: { name: "Location", find: (reads, id, scope) => reads.getVisibleLocation(id, scope) },
};

interface LinkableKind {
  name: string;
  find(
    reads: DomainReads,
    id: string,
    scope: VisibilityScope,
  ): Promise<{ subject_record_id: string } | undefined>;
}

/** The prefixes `entity_ids` and the `linked_entity_id` filter accept (data.md §9.3, §9.4). */
export const LINKABLE_PREFIXES = ["p_", "ba_", "b_", "l_"] as const;

async function linkableEntity(
  reads: DomainReads,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<{ subject_record_id: string }> {
  const kind = LINKABLE[id.slice(0, id.indexOf("_") + 1)];
  const found = await kind?.find(reads, id, scope);
  if (!found) throw notFound(kind?.name ?? "Location", field);
  return found;
}

export async function visibleMetadataEntry(
  reads: Pick<DomainReads, "getVisibleMetadataEntry">,
  scope: VisibilityScope,
  id: string,
  field: string,
): Promise<MetadataEntry> {
  const entry = await reads.getVisibleMetadataEntry(id, scope);
  if (!entry) throw notFound("Metadata", field);
  return entry;
}

/**
 * Checks 1 → 3 → 9: DUPLICATE_METADATA_TYPE, then MAX_METADATA_TYPE_DEFINITIONS, under the
 * account's lock (data.md §3.4), so simultaneous defines at the limit cannot all pass. No event.
 */
export async function defineMetadataType(
  tx: DomainStore,
  input: { scope: VisibilityScope; definition: MetadataTypeDefinition },
): Promise<MetadataTypeDefinition> {
  const { definition } = input;
  await visibleAccount(tx, input.scope, definition.account_id, "account_id");
  await tx.lockAccount(definition.account_id);
  if (await tx.getMetadataType(definition.account_id, definition.metadata_type))
    throw duplicateMetadataType();
  if ((await tx.countMetadataTypes(definition.account_id)) >= MAX_METADATA_TYPES)
    throw maxMetadataTypeDefinitions();
  await tx.insertMetadataType(definition);
  return definition;
}

/**
 * Checks 1 → 3 (subject record, then type) → the details → 6 → 9 MAX_METADATA_TYPE_LIMIT, the
 * count taken under the record's lock.
 */
export async function createMetadata(
  tx: DomainStore,
  input: DataWriteContext & { entry: Omit<MetadataEntry, "linked_entity_ids"> },
): Promise<MetadataEntry> {
  const { entry } = input;
  const found = await visibleSubjectRecord(tx, input.scope, entry.subject_record_id, "subject_record_id");
  const type = await tx.getMetadataType(found.account_id, entry.metadata_type);
  if (!type) throw notFound("Metadata Type", "metadata.metadata_type");
  assertValidDetails(type.fields, entry.details, "metadata.details");
  const record = await subjectRecordForDataWrite(
    tx,
    input.scope,
    entry.subject_record_id,
    "subject_record_id",
  );
  const limit = type.max_count === -1 ? MAX_METADATA_ENTRIES_PER_TYPE : type.max_count;
  if ((await tx.countMetadataEntries(record.id, type.metadata_type)) >= limit) throw maxMetadataTypeLimit();
  const created: MetadataEntry = { ...entry, linked_entity_ids: [] };
  await tx.insertMetadataEntry(created);
  const subject = { entity_type: "Metadata" as const, entity_id: created.id };
  await tx.insertEvent(entityEvent("METADATA_CREATED", record, subject, input.actor, input.now));
  return created;
}

/**
 * Checks 1 → 3 (the entry, then each of `entity_ids` in order) → 6 → 7. IDs already linked or
 * repeated are skipped; when none is new, nothing is written and no event (data.md §13).
 */
export async function addMetadataLinks(
  tx: DomainStore,
  input: DataWriteContext & { metadataId: string; entityIds: readonly string[] },
): Promise<void> {
  const find = () => visibleMetadataEntry(tx, input.scope, input.metadataId, "metadata_id");
  // One after the other, so the first unknown ID in request order is the one reported.
  const lookUpInOrder = async () => {
    const found: { subject_record_id: string }[] = [];
    for (const [i, id] of input.entityIds.entries())
      found.push(await linkableEntity(tx, input.scope, id, `entity_ids[${i}]`));
    return found;
  };
  await find();
  await lookUpInOrder();
  const { entity, record } = await entityForDataWrite(tx, find);
  // Again under the lock: an entity deleted while this write waited is not linked.
  const entities = await lookUpInOrder();
  if (entities.some((e) => e.subject_record_id !== record.id)) throw crossSubjectRecordReference();
  const linked = new Set(entity.linked_entity_ids);
  const added: string[] = [];
  for (const id of input.entityIds) {
    if (linked.has(id)) continue;
    linked.add(id);
    added.push(id);
  }
  if (added.length === 0) return;
  await tx.addMetadataLinks(entity.id, added, input.now);
  const subject = { entity_type: "Metadata" as const, entity_id: entity.id, linked_entity_ids: added };
  await tx.insertEvent(entityEvent("METADATA_LINKED", record, subject, input.actor, input.now));
}
