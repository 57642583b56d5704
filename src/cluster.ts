/**
 * `vetted serve --workers N`: N server processes sharing one port (node:cluster), for
 * PostgreSQL, where the server keeps no state of its own. The primary applies migrations once,
 * forks the workers, replaces one that dies, and on SIGTERM/SIGINT passes the signal on and
 * exits 0 once every worker has drained.
 */
import cluster, { type Worker } from "node:cluster";
import { openMasterKeyring } from "./auth/master-keyring.js";
import type { Config } from "./config.js";
import { serveWorkerScrapes } from "./http/cluster-metrics.js";
import { assertPrivateDataDir } from "./private-files.js";
import { createLogger, serveUntilSignalled } from "./server.js";
import { openStore } from "./store/open.js";

export async function serveWithWorkers(config: Config): Promise<void> {
  if (config.workers <= 1 || !cluster.isPrimary) {
    await serveUntilSignalled(config);
    return;
  }
  const logger = createLogger(config);
  assertPrivateDataDir(config);
  const store = openStore(config.database, { poolSize: 1 });
  try {
    const applied = await store.migrate();
    if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
    // Refused here, once with one line, rather than by every worker the primary would keep replacing.
    await openMasterKeyring(config, store);
  } finally {
    await store.close();
  }

  let stopping = false;
  const fork = (): Worker => cluster.fork();
  // Replacing a worker that dies at once (a port in use, a bad database URL) would loop forever.
  const recentDeaths: number[] = [];
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length > 0 && (recentDeaths[0] ?? now) < now - 30_000) recentDeaths.shift();
    if (recentDeaths.length > config.workers * 2) {
      logger.fatal({ code, signal }, "workers keep dying; stopping");
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, "worker died; starting a replacement");
    fork();
  });
  // One scrape of any worker's /metrics shows every worker's counts, added up here.
  if (config.metrics) serveWorkerScrapes();
  for (let i = 0; i < config.workers; i++) fork();
  logger.info({ workers: config.workers }, "primary started its workers");

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
}
