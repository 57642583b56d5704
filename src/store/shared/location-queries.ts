/**
 * The store calls of locations (domain/location-store.ts), written once with Kysely for both
 * dialects. A location is visible through its subject record's account; its associations through
 * the location (or the business) they hang off.
 */
import { type Kysely, sql } from "kysely";
import type { Location, LocationBankAccount } from "../../domain/location-records.js";
import type { LocationReads, LocationWrites } from "../../domain/location-store.js";
import { isListedAccount, type VisibilityScope } from "../../domain/visibility.js";
import { anyOf, countOf } from "./counts.js";
import { dropMetadataLinks } from "./metadata-queries.js";
import { keyset, toPage } from "./pages.js";
import type { Database, LocationBankAccountTable, LocationTable } from "./schema.js";

type Translate = <T>(work: () => Promise<T>) => Promise<T>;

function inScope(scope: VisibilityScope) {
  return sql<boolean>`exists (select 1 from accounts where accounts.id = subject_records.account_id
    and accounts.organization_id = ${scope.organization_id} and accounts.environment = ${scope.environment})`;
}

function locationFromRow(row: LocationTable): Location {
  return { ...row, address: row.address === null ? null : JSON.parse(row.address) };
}

function locationToRow(location: Location): LocationTable {
  return { ...location, address: location.address === null ? null : JSON.stringify(location.address) };
}

/** The associations with their purposes (in the order given), in the order of `rows`. */
async function withPurposes(
  db: Kysely<Database>,
  rows: LocationBankAccountTable[],
): Promise<LocationBankAccount[]> {
  if (rows.length === 0) return [];
  const purposes = await db
    .selectFrom("location_bank_account_purpose")
    .select(["location_bank_account_id", "purpose", "position"])
    .where(
      "location_bank_account_id",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  return rows.map((row) => ({
    ...row,
    bank_account_purposes: purposes
      .filter((p) => p.location_bank_account_id === row.id)
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((p) => p.purpose),
  }));
}

export function createLocationReads(db: Kysely<Database>): LocationReads {
  return {
    async getVisibleLocation(id, scope) {
      const row = await db
        .selectFrom("location")
        .innerJoin("subject_records", "subject_records.id", "location.subject_record_id")
        .selectAll("location")
        .select("subject_records.account_id as account_id")
        .where("location.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, ...location } = row;
      return locationFromRow(location);
    },
    async listLocationsPage(subjectRecordId, page) {
      const query = db.selectFrom("location").selectAll().where("subject_record_id", "=", subjectRecordId);
      return toPage(page, (await keyset(query, page).execute()).map(locationFromRow));
    },
    async listLocationsOfSubjectRecord(subjectRecordId) {
      const rows = await db
        .selectFrom("location")
        .selectAll()
        .where("subject_record_id", "=", subjectRecordId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(locationFromRow);
    },
    async getLocations(ids) {
      if (ids.length === 0) return [];
      return (await db.selectFrom("location").selectAll().where("id", "in", ids).execute()).map(
        locationFromRow,
      );
    },
    async countLocations(subjectRecordId) {
      return countOf(db.selectFrom("location").where("subject_record_id", "=", subjectRecordId));
    },
    async locationLinks(locationId) {
      return {
        businesses: await anyOf(db.selectFrom("business_location").where("location_id", "=", locationId)),
        bankAccounts: await anyOf(
          db.selectFrom("location_bank_account").where("location_id", "=", locationId),
        ),
      };
    },
    async getVisibleBusinessLocation(id, scope) {
      const row = await db
        .selectFrom("business_location")
        .innerJoin("business", "business.id", "business_location.business_id")
        .innerJoin("subject_records", "subject_records.id", "business.subject_record_id")
        .selectAll("business_location")
        .select([
          "business.subject_record_id as subject_record_id",
          "subject_records.account_id as account_id",
        ])
        .where("business_location.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, ...association } = row;
      return association;
    },
    async listBusinessLocationsPage(businessId, page) {
      const query = db.selectFrom("business_location").selectAll().where("business_id", "=", businessId);
      return toPage(page, await keyset(query, page).execute());
    },
    async getVisibleLocationBankAccount(id, scope) {
      const row = await db
        .selectFrom("location_bank_account")
        .innerJoin("location", "location.id", "location_bank_account.location_id")
        .innerJoin("subject_records", "subject_records.id", "location.subject_record_id")
        .selectAll("location_bank_account")
        .select([
          "location.subject_record_id as subject_record_id",
          "subject_records.account_id as account_id",
        ])
        .where("location_bank_account.id", "=", id)
        .where(inScope(scope))
        .executeTakeFirst();
      if (!row || !isListedAccount(scope, row.account_id)) return undefined;
      const { account_id: _, subject_record_id, ...association } = row;
      const [found] = await withPurposes(db, [association]);
      return found && { ...found, subject_record_id };
    },
    async listLocationBankAccounts(locationIds) {
      if (locationIds.length === 0) return [];
      const rows = await db
        .selectFrom("location_bank_account")
        .selectAll()
        .where("location_id", "in", locationIds)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return withPurposes(db, rows);
    },
  };
}

export function createLocationWrites(db: Kysely<Database>, translated: Translate): LocationWrites {
  return {
    async insertLocation(location) {
      await db.insertInto("location").values(locationToRow(location)).execute();
    },
    async updateLocation(location) {
      const { id, subject_record_id: _, created_at: __, ...fields } = locationToRow(location);
      await db.updateTable("location").set(fields).where("id", "=", id).execute();
    },
    async deleteLocation(id) {
      await dropMetadataLinks(db, id);
      await db.deleteFrom("location").where("id", "=", id).execute();
    },
    async insertBusinessLocation(association) {
      await translated(() => db.insertInto("business_location").values(association).execute());
    },
    async deleteBusinessLocation(id) {
      await db.deleteFrom("business_location").where("id", "=", id).execute();
    },
    async insertLocationBankAccount(association) {
      const { bank_account_purposes: purposes, ...row } = association;
      await db.insertInto("location_bank_account").values(row).execute();
      const purposeRows = purposes.map((purpose, position) => ({
        location_bank_account_id: association.id,
        location_id: association.location_id,
        bank_account_id: association.bank_account_id,
        purpose,
        position,
      }));
      await translated(() => db.insertInto("location_bank_account_purpose").values(purposeRows).execute());
    },
    async deleteLocationBankAccount(id) {
      // The purpose rows go with it (on delete cascade).
      await db.deleteFrom("location_bank_account").where("id", "=", id).execute();
    },
  };
}
