/**
 * Composition root for a serving process: open the store, apply migrations, build the app,
 * listen, and shut down gracefully on SIGTERM/SIGINT.
 */
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { createSecretBox } from "./auth/secret-box.js";
import { loadMasterKey } from "./cli/master-key.js";
import type { Config } from "./config.js";
import { systemClock } from "./domain/clock.js";
import { buildApp } from "./http/app.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";

const DRAIN_TIMEOUT_MS = 10_000;

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  stop(): Promise<void>;
}

export function createLogger(config: Pick<Config, "logLevel">) {
  return pino({
    level: config.logLevel,
    // Belt and braces: credentials never reach a log line even if a request object is logged.
    redact: ["req.headers.authorization", "req.headers['x-api-auth-token']", "*.secret_key", "*.auth_token"],
  });
}

export async function startServer(
  config: Config,
  options: { onStopped?: () => void } = {},
): Promise<RunningServer> {
  const logger = createLogger(config);
  const secretBox = createSecretBox(loadMasterKey(config));
  const store = openStore(config.database);
  const applied = await store.migrate();
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
  const app = await buildApp({ config, store, logger, clock: systemClock, secretBox });
  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ address, database: config.database.kind }, "vetted is serving");

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const timer = setTimeout(() => {
        logger.warn("drain timeout: closing remaining connections");
        app.server.closeAllConnections();
      }, DRAIN_TIMEOUT_MS);
      timer.unref();
      await app.close();
      clearTimeout(timer);
      await store.close();
      logger.info("stopped");
      options.onStopped?.();
    })();
    return stopping;
  };
  return { app, store, url: address, stop };
}

/** Runs until SIGTERM/SIGINT, then drains and exits 0. */
export async function serveUntilSignalled(config: Config): Promise<RunningServer> {
  const server = await startServer(config);
  const onSignal = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  return server;
}
