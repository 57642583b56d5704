/**
 * What a client sends for a person and its issued identifiers (data.md §4.2, §6.1), in the value
 * formats of src/methods/formats. Person create and update take the same wrapper: every field
 * optional and nullable — on create null means "not set", on update it unsets (§2.2, §2.3). An
 * identifier's two fields are required on create and may not be unset on update.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { DocumentedError } from "./define.js";
import {
  AccountExtensibleValue,
  Country,
  DateOfBirth,
  IssuedNumber,
  OptionalNullable,
  PersonAddresses,
  TaxId,
  TextN,
  UsPhone,
} from "./formats/index.js";
import { Email, Strict } from "./schema.js";

export const PersonInput = Strict(
  {
    email: OptionalNullable(Email),
    first_name: OptionalNullable(TextN(100, "First name")),
    middle_name: OptionalNullable(TextN(100, "Middle name")),
    last_name: OptionalNullable(TextN(100, "Last name")),
    date_of_birth: OptionalNullable(DateOfBirth),
    tax_id: OptionalNullable(TaxId),
    citizenship: OptionalNullable(Country),
    phone_number: OptionalNullable(UsPhone),
    addresses: OptionalNullable(PersonAddresses),
  },
  { title: "PersonInput", description: "The person's fields; each optional, null meaning unset" },
);
export type PersonInput = Static<typeof PersonInput>;

const IssuedIdentifierType = AccountExtensibleValue("Issued identifier type: PERSON_ISSUED_IDENTIFIER_TYPES");

export const IssuedIdentifierInput = Strict(
  { type: IssuedIdentifierType, issued_number: IssuedNumber },
  {
    title: "IssuedIdentifierInput",
    description: "The issued identifier: its type and number, both required",
  },
);

export const IssuedIdentifierUpdate = Strict(
  { type: Type.Optional(IssuedIdentifierType), issued_number: Type.Optional(IssuedNumber) },
  { title: "IssuedIdentifierUpdateInput", description: "The fields to change; neither may be null" },
);

/** The step-9 rules of person.issuedIdentifier.create and …update (data.md §6.1), in order. */
export const ISSUED_IDENTIFIER_RULES: DocumentedError[] = [
  {
    code: "SYSTEM_RULE_VIOLATION",
    entity_type: "Person",
    sub_code: "INVALID_ISSUED_IDENTIFIER_TYPE",
    when: "The type is not one of the account's PERSON_ISSUED_IDENTIFIER_TYPES (built-in or added)",
  },
  {
    code: "SYSTEM_RULE_VIOLATION",
    entity_type: "Person",
    sub_code: "DUPLICATED_ISSUED_IDENTIFIER",
    when: "The person already has an issued identifier of this type",
  },
];
