/**
 * The masked form of a sensitive value (data.md §2.6): a value of length L keeps its last
 * k = min(4, ⌊L/2⌋) characters and shows L − k asterisks before them — same length, never more
 * than half shown. `123456789` → `*****6789`, `1234` → `**34`; null stays null.
 */
export function maskSensitive(value: string): string;
export function maskSensitive(value: string | null): string | null;
export function maskSensitive(value: string | null): string | null {
  if (value === null) return null;
  const characters = [...value];
  const shown = Math.min(4, Math.floor(characters.length / 2));
  return "*".repeat(characters.length - shown) + characters.slice(characters.length - shown).join("");
}
