/**
 * The update semantics every `*.update` follows (data.md §2.3), stated once: a field left out is
 * unchanged, a field given replaces the stored value (arrays and nested objects whole), `null`
 * unsets (an array becomes `[]`). Which fields may be null is the request schema's business.
 */
import type { Timestamps } from "./data-records.js";

/** An update's wrapper: some of the record's fields, a nullable one possibly null. */
export type UpdateWrapper<Fields> = { [K in keyof Fields]?: Fields[K] | null };

export interface AppliedUpdate<T> {
  /** The record as the update leaves it, `updated_at` moved to the update's time. */
  updated: T;
  /** The wrapper's top-level fields in byte order, for the `*_UPDATED` event (data.md §13). */
  fields: string[];
}

/**
 * The record after the update, or null when the wrapper is absent or empty: then nothing changes,
 * `updated_at` stays and no event is written. A wrapper holding a field moves `updated_at` even if
 * the value given equals the stored one.
 */
export function applyUpdate<T extends Timestamps, Fields extends Partial<T>>(
  current: T,
  wrapper: UpdateWrapper<Fields> | undefined,
  now: string,
): AppliedUpdate<T> | null {
  const given: Record<string, unknown> = wrapper ?? {};
  // Field names are ASCII (the schema allows no others), so UTF-16 order is byte order.
  const fields = Object.keys(given)
    .filter((field) => given[field] !== undefined)
    .sort();
  if (fields.length === 0) return null;
  const stored = current as unknown as Record<string, unknown>;
  const updated: Record<string, unknown> = { ...stored, updated_at: now };
  for (const field of fields) {
    const value = given[field];
    updated[field] = value === null && Array.isArray(stored[field]) ? [] : value;
  }
  return { updated: updated as unknown as T, fields };
}

/**
 * A create's fields: each one given, and every other one unset (`unset` holds null, or `[]` for
 * arrays). On create, null for an optional field means "not set" (data.md §2.2).
 */
export function createdFields<Fields extends object>(
  unset: Fields,
  given: UpdateWrapper<Fields> | undefined,
): Fields {
  const fields = { ...unset } as Record<string, unknown>;
  for (const [field, value] of Object.entries(given ?? {}))
    if (value !== null && value !== undefined) fields[field] = value;
  return fields as unknown as Fields;
}
