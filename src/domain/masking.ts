/**
 * The masked form of a sensitive value (data.md §2.6): a set value of length L becomes L − k
 * asterisks and its last k characters, k = min(4, ⌊L/2⌋) — the same length, never more than half
 * shown (`123456789` → `*****6789`, `1234` → `**34`). `null` stays `null`.
 */
export function maskSensitive(value: string | null): string | null {
  if (value === null) return null;
  const shown = Math.min(4, Math.floor(value.length / 2));
  return "*".repeat(value.length - shown) + value.slice(value.length - shown);
}
