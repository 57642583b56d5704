/**
 * How the admin list commands print for people: one row per item, the columns that identify it,
 * aligned with spaces. `--json` prints every field instead (admin.ts), so a table may leave the
 * long ones out. Headers are the JSON field names in capitals, so a reader knows what to ask for.
 */

/** One list command's table: the result key holding the items, the columns shown, the item's plural. */
export interface TableSpec {
  key: string;
  columns: readonly string[];
  plural: string;
}

const GAP = "  ";

/** A cell on one line: null is "-", a list is comma-separated, control characters become spaces. */
function cell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? "-"
      : Array.isArray(value) && value.every((item) => typeof item !== "object")
        ? value.join(",") || "-"
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a name holding a newline must not break the row.
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ");
}

export function formatTable(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const lines = [
    columns.map((column) => column.toUpperCase()),
    ...rows.map((row) => columns.map((c) => cell(row[c]))),
  ];
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => (line[i] as string).length)));
  // The last column is not padded: no trailing spaces.
  return lines
    .map((line) =>
      line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i] as number))).join(GAP),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/** The table for a list command's result, or one line saying the list is empty. */
export function formatList(result: Record<string, unknown>, spec: TableSpec): string {
  const rows = (result[spec.key] ?? []) as Record<string, unknown>[];
  return rows.length === 0 ? `no ${spec.plural}\n` : formatTable(rows, spec.columns);
}
