/** Address rules that need no I/O (data.md §2.4). */

export interface AddressValues {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

const PO_BOX = [/\bP\.?\s*O\.?\s*BOX\b/i, /\bPOST\s+OFFICE\s+BOX\b/i];

/** Whether an address line names a P.O. box (a LEGAL business address must not). */
export function isPoBox(line: string): boolean {
  return PO_BOX.some((pattern) => pattern.test(line));
}

/** A US ZIP code, the postal-code rule when `country` is absent or `US`. */
export function isUsZip(value: string): boolean {
  return /^[0-9]{5}(-[0-9]{4})?$/.test(value);
}

/** Complete: line1, city, postal_code and country set, and state too when the country is US. */
export function isAddressComplete(address: AddressValues | null | undefined): boolean {
  if (!address) return false;
  const set = (value: string | null | undefined) => value !== null && value !== undefined;
  return (
    set(address.line1) &&
    set(address.city) &&
    set(address.postal_code) &&
    set(address.country) &&
    (address.country !== "US" || set(address.state))
  );
}
