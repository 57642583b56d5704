/**
 * The real built server as a child process: `node dist/cli/entry.js serve … --log-level warn`,
 * with its own master key, waited for on /readyz, and stopped with SIGTERM (SIGKILL after 15 s).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { onCleanup } from "./cleanup.js";
import type { BenchDatabase } from "./databases.js";
import { DIST_ENTRY } from "./dist.js";
import { CLOCK_TICKS_PER_S, mainThreadTicks, processTicks } from "./stats.js";

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** The environment without the caller's VETTED_* settings, plus the bench's master key. */
export function childEnvironment(masterKey: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("VETTED_")) env[name] = value;
  }
  return { ...env, VETTED_MASTER_KEY: masterKey };
}

/**
 * A free port on 127.0.0.1. The server is given a port instead of `--port 0` because at
 * `--log-level warn` it does not print the address it bound (the "serving" line is info level).
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerChild {
  url: string;
  pid: number;
  /** CPU time (user + system) the server's processes have used so far, in ms (Linux /proc). */
  cpuMs(): number | undefined;
  /** The same for their main threads only, which serve HTTP (Linux /proc). */
  servingCpuMs(): number | undefined;
  /** Lines the child wrote (warnings and errors at this log level). */
  output: string[];
  stop(): Promise<void>;
}

/** A process and its live descendants — `vetted serve --workers N` serves from cluster workers. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processTicks(entry);
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU time (ms) used so far by a process and its live descendants; undefined off Linux. */
export function processTreeCpuMs(rootPid: number): number | undefined {
  if (!processTicks(rootPid)) return undefined;
  const ticks = processTree(rootPid).reduce((sum, pid) => sum + (processTicks(pid)?.ticks ?? 0), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/** CPU time (ms) used so far by the main threads of a process and its live descendants. */
export function mainThreadsCpuMs(rootPid: number): number | undefined {
  if (mainThreadTicks(rootPid) === undefined) return undefined;
  const ticks = processTree(rootPid).reduce((sum, pid) => sum + (mainThreadTicks(pid) ?? 0), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

async function waitReady(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${output.join("\n")}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS} ms:\n${output.join("\n")}`);
}

export async function startServerChild(options: {
  database: BenchDatabase;
  masterKey: string;
  /** A directory for `--cpu-prof` output, or undefined for no profile. */
  cpuProfileDir?: string;
  extraArgs?: string[];
}): Promise<ServerChild> {
  const port = await freePort();
  const nodeFlags = options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [];
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags,
      DIST_ENTRY,
      "serve",
      "--database",
      options.database.url,
      "--data-dir",
      options.database.dataDir,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--log-level",
      "warn",
      // The bench drives thousands of requests a second with one credential: no rate limit
      // (BENCH_SERVER_ARGS may still set one, as a later flag wins).
      "--rate-limit",
      "0",
      ...(options.extraArgs ?? []),
    ],
    { env: childEnvironment(options.masterKey), stdio: ["ignore", "pipe", "pipe"] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() !== "") output.push(line);
    }
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once("exit", () => resolve());
  });

  const stop = onCleanup(`stop server ${child.pid}`, async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  });

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  const pid = child.pid as number;
  return {
    url,
    pid,
    cpuMs: () => processTreeCpuMs(pid),
    servingCpuMs: () => mainThreadsCpuMs(pid),
    output,
    stop,
  };
}

/** Runs `vetted admin … --json` from the build and returns its one JSON object. */
export function runAdmin(
  args: string[],
  database: BenchDatabase,
  masterKey: string,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [DIST_ENTRY, "admin", ...args, "--database", database.url, "--data-dir", database.dataDir, "--json"],
      { env: childEnvironment(masterKey), timeout: 60_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`vetted admin ${args.join(" ")} failed: ${stderr || error.message}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as Record<string, unknown>);
        } catch {
          reject(new Error(`vetted admin ${args.join(" ")} printed no JSON: ${stdout}`));
        }
      },
    );
  });
}

export interface BenchFixture {
  organizationId: string;
  accountId: string;
  credentials: { apiKey: string; secretKey: string; authToken: string };
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`vetted admin returned no ${what}`);
  return value;
}

/**
 * An organization, a sandbox account that refuses a second application per email (so every BA
 * create exercises the unique-email index) and a strict credential, through the operator CLI.
 */
export async function createFixture(database: BenchDatabase, masterKey: string): Promise<BenchFixture> {
  const organization = await runAdmin(["org", "create", "--name", "Bench"], database, masterKey);
  const organizationId = text(organization.organization_id, "organization_id");
  const account = await runAdmin(
    [
      "account",
      "create",
      "--org",
      organizationId,
      "--env",
      "sandbox",
      "--name",
      "Bench account",
      "--allow-multiple-applications-per-email",
      "false",
    ],
    database,
    masterKey,
  );
  const credential = await runAdmin(
    [
      "credential",
      "create",
      "--org",
      organizationId,
      "--env",
      "sandbox",
      "--signature-policy",
      "strict",
      "--name",
      "bench",
    ],
    database,
    masterKey,
  );
  return {
    organizationId,
    accountId: text(account.account_id, "account_id"),
    credentials: {
      apiKey: text(credential.api_key, "api_key"),
      secretKey: text(credential.secret_key, "secret_key"),
      authToken: text(credential.auth_token, "auth_token"),
    },
  };
}
