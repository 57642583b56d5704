/** Locations and their associations as the domain works with them (data.md §4.4, §4.5). */
import type { AddressValues } from "./addresses.js";
import type { Timestamps } from "./data-records.js";

/** What a client may set on a location; `address` is replaced whole and null when unset. */
export interface LocationFields {
  location_type: string | null;
  location_name: string | null;
  owner_name: string | null;
  owner_type: string | null;
  address: AddressValues | null;
}

export interface Location extends LocationFields, Timestamps {
  id: string;
  subject_record_id: string;
}

export interface BusinessLocation extends Timestamps {
  id: string;
  business_id: string;
  location_id: string;
}

export interface LocationBankAccount extends Timestamps {
  id: string;
  location_id: string;
  bank_account_id: string;
  /** In the order given; 1–10 of them. */
  bank_account_purposes: string[];
}

/** A location with every field unset: what location.create makes without a `location` wrapper. */
export const UNSET_LOCATION_FIELDS: LocationFields = {
  location_type: null,
  location_name: null,
  owner_name: null,
  owner_type: null,
  address: null,
};
