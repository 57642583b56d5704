/**
 * Cross-field rules JSON Schema cannot state, as issues: BAD_REQUEST at check step 1 (data.md
 * §2.1), reported together with a precise `field` each. A method lists them in its declaration's
 * `refine(body)`, which runs right after schema validation and before the handler, so they come
 * before any ENTITY_NOT_FOUND. Every function takes the value as the request holds it (possibly
 * absent or null: nothing to judge) and the path it sits at, and returns the issues it finds.
 */
import { isPoBox, isUsZip } from "../../domain/addresses.js";
import type { AddressInput, SalesMethodInput, TypedAddressInput } from "./objects.js";

/** One refused value: `field` is its dotted path with `[i]` for items, `message` completes "<field> …". */
export interface BadRequestIssue {
  field: string;
  message: string;
}

type Maybe<T> = T | null | undefined;

/** Each item whose key repeats an earlier item's, as an issue on `field(i)`. */
function repeats<T>(
  items: Maybe<readonly T[]>,
  key: (item: T) => string,
  field: (index: number) => string,
  what: string,
): BadRequestIssue[] {
  const firstAt = new Map<string, number>();
  const issues: BadRequestIssue[] = [];
  for (const [index, item] of (items ?? []).entries()) {
    const k = key(item);
    const first = firstAt.get(k);
    if (first === undefined) firstAt.set(k, index);
    else issues.push({ field: field(index), message: `repeats the ${what} of item ${first}` });
  }
  return issues;
}

/**
 * One address: the postal code judged by this address's country (absent or US: a ZIP code), and,
 * for a LEGAL business address (`legal`), no P.O. box in line1 or line2.
 */
export function addressIssues(
  address: Maybe<AddressInput>,
  path: string,
  options: { legal?: boolean } = {},
): BadRequestIssue[] {
  if (!address) return [];
  const issues: BadRequestIssue[] = [];
  const { postal_code, country } = address;
  if (postal_code != null && (country == null || country === "US") && !isUsZip(postal_code)) {
    issues.push({
      field: `${path}.postal_code`,
      message: "must be a US ZIP code, NNNNN or NNNNN-NNNN, when country is US or absent",
    });
  }
  if (options.legal) {
    for (const line of ["line1", "line2"] as const) {
      const value = address[line];
      if (value != null && isPoBox(value)) {
        issues.push({ field: `${path}.${line}`, message: "must not be a P.O. box in a LEGAL address" });
      }
    }
  }
  return issues;
}

/** An `addresses` array: at most one item per address type, and each item by `addressIssues`. */
export function addressesIssues(
  addresses: Maybe<readonly TypedAddressInput[]>,
  path: string,
): BadRequestIssue[] {
  return [
    ...repeats(
      addresses,
      (a) => a.address_type,
      (i) => `${path}[${i}].address_type`,
      "address type",
    ),
    ...(addresses ?? []).flatMap((address, i) =>
      addressIssues(address, `${path}[${i}]`, { legal: address.address_type === "LEGAL" }),
    ),
  ];
}

export function industryCategoryCodesIssues(
  codes: Maybe<readonly { type: string; code: string }[]>,
  path: string,
): BadRequestIssue[] {
  return repeats(
    codes,
    (c) => `${c.type}\u0000${c.code}`,
    (i) => `${path}[${i}]`,
    "type and code",
  );
}

/**
 * Websites, none repeated. Compared as the URL parser normalises them (scheme and host case, an
 * empty path as `/`), so `https://Example.com` repeats `https://example.com/`.
 */
export function websitesIssues(websites: Maybe<readonly string[]>, path: string): BadRequestIssue[] {
  return repeats(
    websites,
    (url) => new URL(url).href,
    (i) => `${path}[${i}]`,
    "URL",
  );
}

export function additionalFieldsIssues(
  fields: Maybe<readonly { field_name: string }[]>,
  path: string,
): BadRequestIssue[] {
  return repeats(
    fields,
    (f) => f.field_name,
    (i) => `${path}[${i}].field_name`,
    "field_name",
  );
}

/** Plain values (card brands), none repeated. */
export function uniqueValuesIssues(values: Maybe<readonly string[]>, path: string): BadRequestIssue[] {
  return repeats(
    values,
    (v) => v,
    (i) => `${path}[${i}]`,
    "value",
  );
}

/** The channels of a sales method add up to exactly 100 (a missing key counts as 0). */
export function salesMethodIssues(method: Maybe<SalesMethodInput>, path: string): BadRequestIssue[] {
  if (!method) return [];
  const sum = (method.retail ?? 0) + (method.telephone ?? 0) + (method.online ?? 0) + (method.keyed ?? 0);
  return sum === 100 ? [] : [{ field: path, message: `must add up to exactly 100 (it adds up to ${sum})` }];
}

export function salesAmountsIssues(
  amounts: Maybe<readonly { type: string }[]>,
  path: string,
): BadRequestIssue[] {
  return repeats(
    amounts,
    (a) => a.type,
    (i) => `${path}[${i}].type`,
    "type",
  );
}

// The rules of each wrapper object, for the create and update methods that take one.

interface BusinessValues {
  addresses?: Maybe<readonly TypedAddressInput[]>;
  industry_category_codes?: Maybe<readonly { type: string; code: string }[]>;
  websites?: Maybe<readonly string[]>;
  additional_fields?: Maybe<readonly { field_name: string }[]>;
}

/** `business` of business.create / business.update (path usually "business"). */
export function businessIssues(business: Maybe<BusinessValues>, path: string): BadRequestIssue[] {
  if (!business) return [];
  return [
    ...industryCategoryCodesIssues(business.industry_category_codes, `${path}.industry_category_codes`),
    ...addressesIssues(business.addresses, `${path}.addresses`),
    ...websitesIssues(business.websites, `${path}.websites`),
    ...additionalFieldsIssues(business.additional_fields, `${path}.additional_fields`),
  ];
}

/** `person` of person.create / person.update. */
export function personIssues(
  person: Maybe<{ addresses?: Maybe<readonly TypedAddressInput[]> }>,
  path: string,
): BadRequestIssue[] {
  return person ? addressesIssues(person.addresses, `${path}.addresses`) : [];
}

/** `location` of location.create / location.update. */
export function locationIssues(
  location: Maybe<{ address?: Maybe<AddressInput> }>,
  path: string,
): BadRequestIssue[] {
  return location ? addressIssues(location.address, `${path}.address`) : [];
}

/** `sales_info` of business.salesInfo.create / update. */
export function salesInfoIssues(
  salesInfo: Maybe<{
    card_brands?: Maybe<readonly string[]>;
    sales_method?: Maybe<SalesMethodInput>;
    sales_amount?: Maybe<readonly { type: string }[]>;
  }>,
  path: string,
): BadRequestIssue[] {
  if (!salesInfo) return [];
  return [
    ...uniqueValuesIssues(salesInfo.card_brands, `${path}.card_brands`),
    ...salesMethodIssues(salesInfo.sales_method, `${path}.sales_method`),
    ...salesAmountsIssues(salesInfo.sales_amount, `${path}.sales_amount`),
  ];
}
