/** The public objects of locations (data.md §4.4, §4.5): response schemas and presenters. */
import { Type } from "@sinclair/typebox";
import type { BankAccount } from "../domain/data-records.js";
import type { BusinessLocation, Location, LocationBankAccount } from "../domain/location-records.js";
import { BankAccountObject, presentBankAccount } from "./data-objects.js";
import { AddressOut, fullAddress } from "./formats/index.js";
import { Nullable, Timestamp } from "./schema.js";

const Text = Nullable(Type.String());

export const LocationObject = Type.Object(
  {
    location_id: Type.String(),
    subject_record_id: Type.String(),
    location_type: Text,
    location_name: Text,
    owner_name: Text,
    owner_type: Text,
    address: Nullable(AddressOut),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "Location" },
);

export function presentLocation(location: Location) {
  return {
    location_id: location.id,
    subject_record_id: location.subject_record_id,
    location_type: location.location_type,
    location_name: location.location_name,
    owner_name: location.owner_name,
    owner_type: location.owner_type,
    address: location.address === null ? null : fullAddress(location.address),
    created_at: location.created_at,
    updated_at: location.updated_at,
  };
}

export const LocationBankAccountObject = Type.Object(
  {
    location_bank_account_id: Type.String(),
    location_id: Type.String(),
    bank_account_id: Type.String(),
    bank_account_purposes: Type.Array(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "LocationBankAccount" },
);

export function presentLocationBankAccount(association: LocationBankAccount) {
  return {
    location_bank_account_id: association.id,
    location_id: association.location_id,
    bank_account_id: association.bank_account_id,
    bank_account_purposes: association.bank_account_purposes,
    created_at: association.created_at,
    updated_at: association.updated_at,
  };
}

/** A location with `verbose`: its bank-account associations, each with its bank account. */
export const VerboseLocationObject = Type.Composite(
  [
    LocationObject,
    Type.Object({
      location_bank_accounts: Type.Optional(
        Type.Array(
          Type.Composite([LocationBankAccountObject, Type.Object({ bank_account: BankAccountObject })], {
            title: "LocationBankAccountWithBankAccount",
          }),
        ),
      ),
    }),
  ],
  { title: "VerboseLocation" },
);

/**
 * The verbose location: an association whose bank account is not in `accounts` (removed between
 * the reads) is left out, as business.listBankAccounts does.
 */
export function presentVerboseLocation(
  location: Location,
  associations: readonly LocationBankAccount[],
  accounts: ReadonlyMap<string, BankAccount>,
  show: boolean,
) {
  return {
    ...presentLocation(location),
    location_bank_accounts: associations
      .filter((association) => association.location_id === location.id)
      .flatMap((association) => {
        const account = accounts.get(association.bank_account_id);
        return account
          ? [{ ...presentLocationBankAccount(association), bank_account: presentBankAccount(account, show) }]
          : [];
      }),
  };
}

export const BusinessLocationObject = Type.Object(
  {
    business_location_id: Type.String(),
    business_id: Type.String(),
    location_id: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: "BusinessLocation" },
);

export function presentBusinessLocation(association: BusinessLocation) {
  return {
    business_location_id: association.id,
    business_id: association.business_id,
    location_id: association.location_id,
    created_at: association.created_at,
    updated_at: association.updated_at,
  };
}
