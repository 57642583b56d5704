/**
 * The email rule of wire.md ("Values"), in one place: the request schemas use the pattern, and
 * anything that needs to check an address outside a schema uses `isEmailAddress`.
 *
 * `local@domain`, at most 254 characters. The local part is an RFC 5322 dot-atom of at most 64
 * characters: runs of atext joined by single dots (no quoted strings, no comments). The domain is
 * two or more labels of 1–63 ASCII letters, digits or hyphens, joined by dots, no label starting or
 * ending with a hyphen, the last label not all digits. Only ASCII is accepted, so control,
 * invisible and look-alike characters never pass (an internationalized domain comes as `xn--`).
 * Every repetition is bounded or split by a literal dot, so the pattern runs in linear time.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

export const EMAIL_PATTERN =
  `^(?=[^@]{1,64}@)${ATEXT}(?:\\.${ATEXT})*` + `@(?:${LABEL}\\.)+(?![0-9]+$)${LABEL}$`;
export const EMAIL_MAX_LENGTH = 254;

// The `u` flag, as ajv compiles schema patterns, so both read the pattern the same way.
const compiled = new RegExp(EMAIL_PATTERN, "u");

export function isEmailAddress(value: string): boolean {
  return value.length <= EMAIL_MAX_LENGTH && compiled.test(value);
}
