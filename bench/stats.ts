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

/** A running total of CPU time in ms (a process tree, the database server), or undefined if unknown. */
export type CpuMeter = () => number | undefined;

/** CPU time per response over a stage, in ms: the server's, the database's and the whole machine's. */
export interface CpuPerRequest {
  server_cpu_ms_per_request: number | null;
  /**
   * The part of it spent on the server processes' main threads, the ones that parse, authenticate
   * and answer HTTP; the rest is the SQLite writer thread and V8's and libuv's helper threads.
   */
  serving_thread_cpu_ms_per_request: number | null;
  /** PostgreSQL's processes on this machine; null for SQLite (it runs inside the server). */
  database_cpu_ms_per_request: number | null;
  /**
   * Every core's busy time ÷ responses: server, database, load generator and kernel together.
   * Steadier than req/s on a shared machine, because it does not count time the work waited.
   */
  machine_cpu_ms_per_request: number | null;
}

/** Reads the meters now; the returned function reads them again and divides by the responses. */
export function startCpuPerRequest(meters: { server?: CpuMeter; serving?: CpuMeter; database?: CpuMeter }) {
  const server = meters.server?.();
  const serving = meters.serving?.();
  const database = meters.database?.();
  const machine = machineTicks();
  const perRequest = (before: number | undefined, after: number | undefined, responses: number) =>
    before !== undefined && after !== undefined && responses > 0
      ? round((after - before) / responses, 3)
      : null;
  return (responses: number): CpuPerRequest => {
    const machineNow = machineTicks();
    const busyMs = (ticks: { busy: number } | undefined) =>
      ticks === undefined ? undefined : (ticks.busy * 1000) / CLOCK_TICKS_PER_S;
    return {
      server_cpu_ms_per_request: perRequest(server, meters.server?.(), responses),
      serving_thread_cpu_ms_per_request: perRequest(serving, meters.serving?.(), responses),
      database_cpu_ms_per_request: perRequest(database, meters.database?.(), responses),
      machine_cpu_ms_per_request: perRequest(busyMs(machine), busyMs(machineNow), responses),
    };
  };
}

/** /proc reports times in USER_HZ, which is 100 on every Linux the bench targets (getconf CLK_TCK). */
export const CLOCK_TICKS_PER_S = 100;

/** utime + stime of a process's main thread (its event loop), in ticks; undefined when gone. */
export function mainThreadTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
    const fields = stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    return (fields[11] ?? 0) + (fields[12] ?? 0);
  } catch {
    return undefined;
  }
}

/** utime + stime (and, with `children`, the waited-for children's) of one process, in ticks. */
export function processTicks(
  pid: number | string,
  children = false,
): { ticks: number; ppid: number; name: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    // Fields after the command name (which may contain spaces) start at field 3, state.
    const fields = stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const own = (fields[11] ?? 0) + (fields[12] ?? 0);
    const waited = children ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0;
    return { ticks: own + waited, ppid: fields[1] ?? 0, name };
  } catch {
    return undefined;
  }
}

/**
 * CPU used so far by the PostgreSQL server on this machine, in ms: every live `postgres`
 * process, plus the backends that have exited (their time is added to the postmaster's
 * children's when it reaps them). Undefined when no such process is visible.
 */
export function postgresCpuMs(): number | undefined {
  let ticks = 0;
  let seen = false;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const own = processTicks(entry);
    if (own?.name !== "postgres") continue;
    seen = true;
    const parent = processTicks(own.ppid);
    // The postmaster is the postgres process whose parent is not one.
    ticks += parent?.name === "postgres" ? own.ticks : (processTicks(entry, true)?.ticks ?? own.ticks);
  }
  return seen ? (ticks * 1000) / CLOCK_TICKS_PER_S : undefined;
}
