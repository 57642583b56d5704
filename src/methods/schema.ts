/**
 * Schema building blocks. Every object is strict (unknown fields are rejected), enumerations are
 * plain `enum` lists (one clear error instead of an anyOf cascade), and IDs are shape-checked.
 */
import { type Static, type TObject, type TProperties, type TSchema, Type } from "@sinclair/typebox";
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN } from "../domain/email.js";
import { idPattern } from "../domain/ids.js";

export function Strict<T extends TProperties>(
  properties: T,
  options: { description?: string; title?: string } = {},
): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export function StringEnum<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], description });
}

export function Id(description: string, ...prefixes: string[]) {
  return Type.String({ pattern: idPattern(...prefixes), description });
}

export const AccountId = Id("Account ID (sb_… sandbox, lv_… live)", "sb_", "lv_");
export const SubjectRecordId = Id("Subject record ID", "sr_");
export const WorkflowId = Id("Workflow ID", "w_");
export const PricingModelId = Id("Pricing model ID", "pm_");
export const EquipmentCollectionId = Id("Equipment collection ID", "ec_");
// Subject-record data (data.md §2.7).
export const BusinessId = Id("Business ID", "b_");
export const PersonId = Id("Person ID", "p_");
export const BankAccountId = Id("Bank account ID", "ba_");
export const BusinessOwnerId = Id("Business owner ID", "bo_");
export const BusinessBankAccountId = Id("Business bank account ID", "bba_");
export const BusinessLocationId = Id("Business location ID", "bl_");
export const SalesInfoId = Id("Sales info ID", "bsi_");
export const LocationId = Id("Location ID", "l_");
export const LocationBankAccountId = Id("Location bank account ID", "lba_");
export const IssuedIdentifierId = Id("Issued identifier ID", "pii_");
export const MetadataId = Id("Metadata entry ID", "md_");
export const DocumentId = Id("Document ID", "d_");

/** An address by wire.md's rule (src/domain/email.ts): ASCII dot-atom `@` a dotted domain, ≤ 254. */
export const Email = Type.String({
  maxLength: EMAIL_MAX_LENGTH,
  pattern: EMAIL_PATTERN,
  description:
    "Email address: an ASCII dot-atom local part of at most 64 characters, @, and a domain of two or more labels (internationalized domains in xn-- form); at most 254 characters",
});

export function Text(maxLength: number, description?: string) {
  return Type.String({ minLength: 1, maxLength, description });
}

/**
 * The schema with `null` allowed too, kept as one `type` list so errors stay precise; an `enum`
 * list gets `null` too, or it would refuse what `type` allows.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const { type, enum: values, ...rest } = schema as unknown as { type: string; enum?: unknown[] };
  const nullableEnum = values === undefined ? {} : { enum: [...values, null] };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, "null"], ...nullableEnum });
}

export const Timestamp = Type.String({ description: "ISO 8601 UTC with milliseconds" });

export const PageParams = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: "Page size (default 1000)" })),
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 512,
      description: "Opaque cursor from a previous page's next_cursor",
    }),
  ),
};

export const PageResult = {
  has_more: Type.Boolean(),
  next_cursor: Nullable(Type.String()),
};

/**
 * `show_sensitive_data` (data.md §2.6), for reads only: a method whose request declares it must
 * call `context.showSensitiveData` and present sensitive values with `revealOrMask`.
 */
export const ShowSensitiveData = Type.Optional(
  Type.Boolean({
    description:
      "Show sensitive values (tax IDs, bank account numbers) as stored instead of masked (default false). Refused with PERMISSION_DENIED for a credential that may not unmask; every response that reveals a value is audited (SENSITIVE_DATA_ACCESSED).",
  }),
);
