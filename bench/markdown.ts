/**
 * Prints a results file's tables as Markdown, for docs/performance.md:
 *
 *   node --import tsx bench/markdown.ts [bench/results/latest.json]
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./config.js";
import type { BenchResult } from "./report.js";

function markdownTable(header: string[], rows: (string | number | null)[][]): string {
  const line = (cells: (string | number | null)[]) =>
    `| ${cells.map((c) => (c === null ? "–" : String(c))).join(" | ")} |`;
  const rule = `|${header.map((_, i) => (i < 2 ? " --- |" : " ---: |")).join("")}`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export function resultMarkdown(result: BenchResult): string {
  const http = markdownTable(
    [
      "database",
      "connections",
      "req/s",
      "p50 ms",
      "p99 ms",
      "non-2xx",
      "errors",
      "ratio to floor",
      "server CPU ms/req",
    ],
    result.http.map((r) => [
      r.database,
      r.connections,
      r.req_per_s.toFixed(0),
      r.p50_ms,
      r.p99_ms,
      r.non2xx,
      r.errors,
      r.ratio_to_floor === null ? null : r.ratio_to_floor.toFixed(2),
      r.server_cpu_ms_per_request === null ? null : r.server_cpu_ms_per_request.toFixed(2),
    ]),
  );
  const floor = markdownTable(
    ["database", "floor", "clients", "tx/s", "p50 ms", "p99 ms", "errors"],
    result.floor.map((f) => [
      f.database,
      f.variant,
      f.clients,
      f.tps.toFixed(0),
      f.p50_ms,
      f.p99_ms,
      f.errors,
    ]),
  );
  const references = Object.entries(result.reference_floor)
    .map(([kind, r]) => `${kind}: ${r.variant}, ${r.clients} client(s), ${r.tps.toFixed(0)} tx/s`)
    .join("; ");
  return `${http}\n\nReference floors: ${references}.\n\n${floor}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? path.join(REPO_ROOT, "bench", "results", "latest.json");
  process.stdout.write(resultMarkdown(JSON.parse(fs.readFileSync(file, "utf8")) as BenchResult));
}
