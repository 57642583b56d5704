/**
 * The store calls of locations (data.md §4.4, §5.4, §8), part of `DataReads` / `DataWrites`
 * (data-store.ts). Visibility as for every data entity: through the subject record's account.
 */
import type { InSubjectRecord } from "./data-store.js";
import type { BusinessLocation, Location, LocationBankAccount } from "./location-records.js";
import type { Page, PageRequest } from "./records.js";
import type { VisibilityScope } from "./visibility.js";

/** Which kinds of link a location has, for location.delete's ENTITY_LINKED (data.md §3.5). */
export interface LocationLinks {
  businesses: boolean;
  bankAccounts: boolean;
}

export interface LocationReads {
  getVisibleLocation(id: string, scope: VisibilityScope): Promise<Location | undefined>;
  /** One page of the record's locations, oldest first (ties by ID). */
  listLocationsPage(subjectRecordId: string, page: PageRequest): Promise<Page<Location>>;
  /** Every location of the subject record, oldest first (subjectRecord.get verbose). */
  listLocationsOfSubjectRecord(subjectRecordId: string): Promise<Location[]>;
  /** The locations with these IDs that exist, in no particular order. */
  getLocations(ids: readonly string[]): Promise<Location[]>;
  countLocations(subjectRecordId: string): Promise<number>;
  locationLinks(locationId: string): Promise<LocationLinks>;
  getVisibleBusinessLocation(
    id: string,
    scope: VisibilityScope,
  ): Promise<InSubjectRecord<BusinessLocation> | undefined>;
  /** One page of the business's location associations, oldest first (ties by ID). */
  listBusinessLocationsPage(businessId: string, page: PageRequest): Promise<Page<BusinessLocation>>;
  getVisibleLocationBankAccount(
    id: string,
    scope: VisibilityScope,
  ): Promise<InSubjectRecord<LocationBankAccount> | undefined>;
  /** Every bank-account association of these locations, oldest first (ties by ID). */
  listLocationBankAccounts(locationIds: readonly string[]): Promise<LocationBankAccount[]>;
}

export interface LocationWrites {
  insertLocation(location: Location): Promise<void>;
  /** Replaces every field of the stored location. */
  updateLocation(location: Location): Promise<void>;
  deleteLocation(id: string): Promise<void>;
  /** Throws DUPLICATE_LOCATION_ASSOCIATION when the pair is linked already (rule index). */
  insertBusinessLocation(association: BusinessLocation): Promise<void>;
  deleteBusinessLocation(id: string): Promise<void>;
  /** Inserts the association and one row per purpose; a purpose twice is the rule index's error. */
  insertLocationBankAccount(association: LocationBankAccount): Promise<void>;
  /** Deletes the association with its purposes. */
  deleteLocationBankAccount(id: string): Promise<void>;
}
