/**
 * Where a server's CPU time went, from a V8 `.cpuprofile` (`node --cpu-prof`): self time by
 * function and by origin (Vetted's code, each npm package, Node's internals, GC). Idle time is
 * left out, so percentages are of the time the process was busy.
 *
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile>… [top]
 */
import fs from "node:fs";
import { round } from "./stats.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  /** Microseconds on the monotonic clock (the one process.hrtime reads, in every process). */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  files: string[];
  /** Sampled time the main thread was not idle (wall clock: waiting for a core counts too). */
  busy_ms: number;
  by_origin: { origin: string; ms: number; pct: number }[];
  top_functions: { function: string; origin: string; ms: number; pct: number }[];
}

/** Vetted's code, an npm package, Node itself, or one of V8's pseudo-frames. */
function originOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1] as string;
  if (url.startsWith("node:")) return "node internals";
  if (url.includes("/dist/")) return "vetted";
  return url;
}

function shortUrl(url: string): string {
  return url
    .replace(/^.*\/node_modules\//, "")
    .replace(/^.*\/dist\//, "dist/")
    .replace(/^file:\/\//, "");
}

/** A span of the monotonic clock in microseconds, e.g. from `process.hrtime.bigint() / 1000n`. */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Self time of each call frame in one profile, within the window if one is given. */
function selfTimes(file: string, window?: ProfileWindow): [ProfileNode["callFrame"], number][] {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  return [...selfUs].map(([id, us]) => [(nodes.get(id) as ProfileNode).callFrame, us]);
}

/**
 * Self time per function and per origin, added up over the given profiles (one per server
 * process: the cluster primary and its workers). With a window, only samples taken inside it
 * count (the measured stages, not start-up and module loading).
 */
export function summariseProfile(files: string[], top = 20, window?: ProfileWindow): ProfileSummary {
  const byFunction = new Map<string, { origin: string; us: number }>();
  const byOrigin = new Map<string, number>();
  let busyUs = 0;
  for (const [frame, us] of files.flatMap((file) => selfTimes(file, window))) {
    if (frame.functionName === "(idle)") continue;
    busyUs += us;
    const origin = originOf(frame.url, frame.functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
    const name = frame.url
      ? `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
      : frame.functionName;
    const entry = byFunction.get(name) ?? { origin, us: 0 };
    entry.us += us;
    byFunction.set(name, entry);
  }
  const pct = (us: number) => round((100 * us) / Math.max(busyUs, 1), 1);
  return {
    files,
    busy_ms: round(busyUs / 1000, 0),
    by_origin: [...byOrigin]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([origin, us]) => ({ origin, ms: round(us / 1000, 0), pct: pct(us) })),
    top_functions: [...byFunction]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([name, { origin, us }]) => ({ function: name, origin, ms: round(us / 1000, 0), pct: pct(us) })),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [`${summary.files.join(", ")}: ${summary.busy_ms} ms busy`, "  by origin:"];
  for (const o of summary.by_origin) lines.push(`    ${o.pct.toFixed(1).padStart(5)} %  ${o.origin}`);
  lines.push("  top functions (self time):");
  for (const f of summary.top_functions) lines.push(`    ${f.pct.toFixed(1).padStart(5)} %  ${f.function}`);
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.slice(2).filter((arg) => arg.endsWith(".cpuprofile"));
  const top = process.argv.slice(2).find((arg) => /^\d+$/.test(arg));
  if (files.length === 0) {
    process.stderr.write("usage: node --import tsx bench/profile-summary.ts <file.cpuprofile>… [top]\n");
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summariseProfile(files, top ? Number(top) : 20))}\n`);
}
