/**
 * Prints a results file's tables as Markdown, for docs/performance.md:
 *
 *   node --import tsx bench/markdown.ts [bench/results/latest.json]
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./config.js";
import {
  type BenchResult,
  floorTableData,
  httpTableData,
  onboardingTableData,
  type TableData,
} from "./report.js";

function markdownTable({ header, rows }: TableData): string {
  const line = (cells: (string | number | null)[]) =>
    `| ${cells.map((c) => (c === null ? "–" : String(c))).join(" | ")} |`;
  const rule = `|${header.map((_, i) => (i < 2 ? " --- |" : " ---: |")).join("")}`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export function resultMarkdown(result: BenchResult): string {
  const references = Object.entries(result.reference_floor)
    .map(([kind, r]) => `${kind}: ${r.variant}, ${r.clients} client(s), ${r.tps.toFixed(0)} tx/s`)
    .join("; ");
  const onboarding = result.onboarding?.length
    ? `\n${markdownTable(onboardingTableData(result.onboarding))}\n`
    : "";
  return (
    `${markdownTable(httpTableData(result.http))}\n\nReference floors: ${references}.\n\n` +
    `${markdownTable(floorTableData(result.floor))}\n${onboarding}`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? path.join(REPO_ROOT, "bench", "results", "latest.json");
  process.stdout.write(resultMarkdown(JSON.parse(fs.readFileSync(file, "utf8")) as BenchResult));
}
