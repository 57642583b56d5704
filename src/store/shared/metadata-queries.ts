/**
 * The store calls of metadata (domain/metadata-store.ts), written once with Kysely for both
 * dialects. An entry is visible through its subject record's account, as every data entity is.
 */
import { type Kysely, sql } from "kysely";
import type {
  MetadataEntry,
  MetadataReads,
  MetadataTypeDefinition,
  MetadataWrites,
} from "../../domain/metadata-store.js";
import { isListedAccount, type VisibilityScope } from "../../domain/visibility.js";
import { countOf } from "./counts.js";
import type { Translate } from "./data-queries.js";
import type { MetadataEntryTable } from "./metadata-schema.js";
import type { Database } from "./schema.js";

type EntryRow = MetadataEntryTable;

/** Only rows whose subject record's account the scope may see (as data-queries.ts `inScope`). */
function inScope(scope: VisibilityScope) {
  return sql<boolean>`exists (select 1 from accounts where accounts.id = subject_records.account_id
    and accounts.organization_id = ${scope.organization_id} and accounts.environment = ${scope.environment})`;
}

/**
 * The entries with their links, in link order; `links` reads the links of at least these entries
 * (by entry ID, or by subject record, so a long list never becomes a long parameter list).
 */
async function withLinks(
  rows: EntryRow[],
  links: () => Promise<{ metadata_id: string; entity_id: string; position: number }[]>,
): Promise<MetadataEntry[]> {
  if (rows.length === 0) return [];
  const sorted = (await links()).sort((a, b) => Number(a.position) - Number(b.position));
  const byEntry = new Map<string, string[]>();
  for (const link of sorted) {
    const list = byEntry.get(link.metadata_id) ?? [];
    list.push(link.entity_id);
    byEntry.set(link.metadata_id, list);
  }
  return rows.map((row) => ({
    ...row,
    details: JSON.parse(row.details) as MetadataEntry["details"],
    linked_entity_ids: byEntry.get(row.id) ?? [],
  }));
}

/** Byte order of the type names, then oldest first, ties by ID (data.md §9.3). */
function compareEntries(a: EntryRow, b: EntryRow): number {
  const keys: (keyof EntryRow)[] = ["metadata_type", "created_at", "id"];
  for (const key of keys) {
    const left = Buffer.from(String(a[key]));
    const right = Buffer.from(String(b[key]));
    const order = Buffer.compare(left, right);
    if (order !== 0) return order;
  }
  return 0;
}

export function createMetadataReads(db: Kysely<Database>): MetadataReads {
  return {
    async getMetadataType(accountId, metadataType) {
      const row = await db
        .selectFrom("metadata_type_definition")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("metadata_type", "=", metadataType)
        .executeTakeFirst();
      if (!row) return undefined;
      return { ...row, fields: JSON.parse(row.fields) as MetadataTypeDefinition["fields"] };
    },
    async countMetadataTypes(accountId) {
      return countOf(db.selectFrom("metadata_type_definition").where("account_id", "=", accountId));
    },
    async getVisibleMetadataEntry(id, scope) {
      const row = await db
        .selectFrom("metadata_entry")
        .innerJoin("subject_records", "subject_records.id", "metadata_entry.subject_record_id")
        .selectAll("metadata_entry")
        .select("subject_records.account_id as account_id")
        .where("metadata_entry.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, ...entry } = row;
      const [found] = await withLinks([entry], () =>
        db.selectFrom("metadata_link").selectAll().where("metadata_id", "=", entry.id).execute(),
      );
      return found;
    },
    async countMetadataEntries(subjectRecordId, metadataType) {
      return countOf(
        db
          .selectFrom("metadata_entry")
          .where("subject_record_id", "=", subjectRecordId)
          .where("metadata_type", "=", metadataType),
      );
    },
    async listMetadataEntries(subjectRecordId, filters) {
      let query = db
        .selectFrom("metadata_entry")
        .selectAll()
        .where("subject_record_id", "=", subjectRecordId);
      if (filters.metadata_type) query = query.where("metadata_type", "in", [...filters.metadata_type]);
      if (filters.linked_entity_id) {
        const linked = [...filters.linked_entity_id];
        query = query.where("id", "in", (eb) =>
          eb.selectFrom("metadata_link").select("metadata_id").where("entity_id", "in", linked),
        );
      }
      const rows = await query.execute();
      return withLinks(rows.sort(compareEntries), () =>
        db
          .selectFrom("metadata_link")
          .innerJoin("metadata_entry", "metadata_entry.id", "metadata_link.metadata_id")
          .selectAll("metadata_link")
          .where("metadata_entry.subject_record_id", "=", subjectRecordId)
          .execute(),
      );
    },
  };
}

export function createMetadataWrites(db: Kysely<Database>, translated: Translate): MetadataWrites {
  return {
    async insertMetadataType(definition) {
      await translated(() =>
        db
          .insertInto("metadata_type_definition")
          .values({ ...definition, fields: JSON.stringify(definition.fields) })
          .execute(),
      );
    },
    async insertMetadataEntry(entry) {
      const { linked_entity_ids: _, ...row } = entry;
      await db
        .insertInto("metadata_entry")
        .values({ ...row, details: JSON.stringify(row.details) })
        .execute();
    },
    async addMetadataLinks(metadataId, entityIds, updatedAt) {
      const last = await db
        .selectFrom("metadata_link")
        .select((eb) => eb.fn.max("position").as("position"))
        .where("metadata_id", "=", metadataId)
        .executeTakeFirst();
      const start = last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
      await db
        .insertInto("metadata_link")
        .values(
          entityIds.map((entity_id, i) => ({ metadata_id: metadataId, entity_id, position: start + i })),
        )
        .execute();
      await db
        .updateTable("metadata_entry")
        .set({ updated_at: updatedAt })
        .where("id", "=", metadataId)
        .execute();
    },
  };
}

/**
 * Drops every metadata link naming the entity, for the entity's delete (data.md §3.5: links never
 * block a delete; the entries' `updated_at` does not move). Locations call it too.
 */
export async function dropMetadataLinks(db: Kysely<Database>, entityId: string): Promise<void> {
  await db.deleteFrom("metadata_link").where("entity_id", "=", entityId).execute();
}

/** subjectRecord.delete: the record's entries and their links (data.md §12.2). */
export async function deleteMetadataOfSubjectRecord(
  db: Kysely<Database>,
  subjectRecordId: string,
): Promise<void> {
  const entries = db
    .selectFrom("metadata_entry")
    .select("id")
    .where("subject_record_id", "=", subjectRecordId);
  await db.deleteFrom("metadata_link").where("metadata_id", "in", entries).execute();
  await db.deleteFrom("metadata_entry").where("subject_record_id", "=", subjectRecordId).execute();
}
