/**
 * The masked form of a sensitive value (data.md §2.6): same length, the last k characters shown,
 * k = min(4, ⌊L/2⌋), so never more than half: `123456789` → `*****6789`, `1234` → `**34`.
 * Length counts code points, so a value never splits a character (sensitive values are digits).
 */
export function maskSensitive(value: string | null): string | null {
  if (value === null) return null;
  const chars = [...value];
  const shown = Math.min(4, Math.floor(chars.length / 2));
  return "*".repeat(chars.length - shown) + chars.slice(chars.length - shown).join("");
}
