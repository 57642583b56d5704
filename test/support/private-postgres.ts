/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, for tests that
 * must stop and restart the database (outages). The shared server named by
 * VETTED_TEST_DATABASE_URL is never touched: this one is created with initdb, has its own data
 * directory, socket directory and port, and is removed by `destroy()`.
 *
 *   const pg = await startPrivatePostgres();
 *   try { … await pg.stop(); … await pg.start(); … } finally { await pg.destroy(); }
 *
 * PostgreSQL refuses to run as root, so when the tests run as root every server command runs as
 * the `postgres` user (`runuser -u postgres --`) on a directory chowned to it. A process-exit hook
 * stops the server even if the test process ends without reaching `destroy()`.
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { tempDir } from "./databases.js";

const run = promisify(execFile);

function binDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin");
}

const isRoot = process.getuid?.() === 0;

/** Why a private PostgreSQL cannot be started here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!binDir()) return "no PostgreSQL server binaries under /usr/lib/postgresql";
  if (isRoot) {
    try {
      execFileSync("id", ["postgres"], { stdio: "ignore" });
    } catch {
      return "running as root and there is no postgres user to run the server as";
    }
  }
  return undefined;
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function command(binary: string, args: string[]): [string, string[]] {
  const full = path.join(binDir() as string, binary);
  return isRoot ? ["runuser", ["-u", "postgres", "--", full, ...args]] : [full, args];
}

async function pgCommand(binary: string, args: string[], timeoutMs = 60_000): Promise<void> {
  const [file, argv] = command(binary, args);
  try {
    await run(file, argv, { timeout: timeoutMs });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${binary} ${args.join(" ")} failed: ${String(error)}\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  port: number;
  /** A URL for the `postgres` database as the `postgres` superuser (trust authentication). */
  url: string;
  /** URL of another database on this server. */
  urlFor(database: string): string;
  /** `pg_ctl stop -m immediate`: every backend dies at once, as in a crash or a lost server. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and data; waits until it accepts connections. */
  start(): Promise<void>;
  /**
   * SIGSTOP to the server and every backend: connections stay open and the kernel still accepts
   * new ones, but nothing answers — a hung server or a network partition, as the client sees it.
   */
  freeze(): void;
  /** SIGCONT: the frozen server carries on where it stopped. */
  thaw(): void;
  /** Stops the server if it runs and deletes its directory. Safe to call more than once. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const unavailable = privatePostgresUnavailable();
  if (unavailable) throw new Error(unavailable);
  const dir = tempDir("vetted-private-pg-");
  const data = path.join(dir, "data");
  const log = path.join(dir, "server.log");
  if (isRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const port = await freePort();
  if (port === 5432) throw new Error("refusing to use the shared PostgreSQL port");
  // Durability of this throwaway server is not under test (the outage is), so fsync is off.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const ctl = (action: string[]) => pgCommand("pg_ctl", ["-D", data, ...action]);
  const stopNow = () => ctl(["stop", "-m", "immediate", "-w", "-t", "30"]);

  let destroyed = false;
  let frozen: number[] = [];
  const postmasterPid = () =>
    Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const childrenOf = (pid: number) => {
    try {
      return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map(Number);
    } catch {
      return []; // pgrep exits 1 when there are none
    }
  };
  const thaw = () => {
    // Children first, so the postmaster finds them running when it resumes.
    for (const pid of frozen.slice().reverse()) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // Already gone.
      }
    }
    frozen = [];
  };
  // Last resort if the test process exits without destroy(): never leave a server running.
  const onExit = () => {
    thaw();
    const [file, argv] = command("pg_ctl", ["-D", data, "stop", "-m", "immediate", "-w", "-t", "10"]);
    try {
      execFileSync(file, argv, { stdio: "ignore" });
    } catch {
      // Not running.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  const instance: PrivatePostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: stopNow,
    freeze() {
      // The postmaster first, so it forks no new backend while the others are being stopped.
      const postmaster = postmasterPid();
      process.kill(postmaster, "SIGSTOP");
      frozen = [postmaster, ...childrenOf(postmaster)];
      for (const pid of frozen.slice(1)) process.kill(pid, "SIGSTOP");
    },
    thaw,
    start: () => ctl(["start", "-w", "-t", "60", "-l", log, "-o", serverOptions]),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      process.removeListener("exit", onExit);
      thaw();
      await stopNow().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await pgCommand("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    await instance.start();
  } catch (error) {
    const serverLog = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
    await instance.destroy();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${serverLog}`);
  }
  return instance;
}
