/** Percentiles, and CPU accounting around a measurement (this process, the server, the machine). */
import fs from "node:fs";

/** The p-th percentile (0–100) of values, by nearest rank; 0 for no values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarise(latenciesMs: number[]) {
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.length ? (sorted[sorted.length - 1] as number) : 0),
  };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Busy and total jiffies of the whole machine, from /proc/stat (undefined off Linux). */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface CpuSpan {
  /** Machine CPU in use over the span, 0–100 % of all cores. */
  machine_busy_pct: number | null;
  /**
   * CPU the bench used, in cores (1.0 = one core): this process (autocannon or the floor driver
   * run in it), plus wrk in HTTP stages that wrk drove.
   */
  bench_process_cores: number;
  /** CPU the server child used, in cores, when there is one. */
  server_cores: number | null;
}

/**
 * Starts measuring; the returned function ends the span and reports it, given the CPU time (ms)
 * a child of the bench used meanwhile (wrk; a child's time is not in process.cpuUsage()).
 */
export function startCpuSpan(serverCpuMs?: () => number | undefined): (childCpuMs?: number) => CpuSpan {
  const startedAt = process.hrtime.bigint();
  const ticks = machineTicks();
  const own = process.cpuUsage();
  const server = serverCpuMs?.();
  return (childCpuMs = 0) => {
    const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    const ticksNow = machineTicks();
    const ownUsed = process.cpuUsage(own);
    const serverNow = serverCpuMs?.();
    return {
      machine_busy_pct:
        ticks && ticksNow && ticksNow.total > ticks.total
          ? round((100 * (ticksNow.busy - ticks.busy)) / (ticksNow.total - ticks.total), 1)
          : null,
      bench_process_cores: round(((ownUsed.user + ownUsed.system) / 1000 + childCpuMs) / elapsedMs),
      server_cores:
        server !== undefined && serverNow !== undefined ? round((serverNow - server) / elapsedMs) : null,
    };
  };
}
