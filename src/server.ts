/**
 * Composition root for a serving process: open the store, apply migrations, build the app,
 * listen, and shut down gracefully on SIGTERM/SIGINT.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { openMasterKeyring } from "./auth/master-keyring.js";
import type { Config } from "./config.js";
import { systemClock } from "./domain/clock.js";
import { buildApp } from "./http/app.js";
import type { DocsPageOptions } from "./http/docs-page/register.js";
import { rateLimitOf } from "./http/rate-limit.js";
import { deriveCursorKey } from "./methods/pagination.js";
import { assertPrivateDataDir } from "./private-files.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";

/** Requests in flight get this long to finish after SIGTERM (operator.md); then they are cut. */
const DRAIN_TIMEOUT_MS = 10_000;
/** Closing the database afterwards must not keep the process alive forever either. */
const STORE_CLOSE_TIMEOUT_MS = 5_000;

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  stop(): Promise<void>;
}

/** The responses not yet finished, so shutdown can reach the requests in flight. */
function trackResponses(server: Server): Set<ServerResponse> {
  const responses = new Set<ServerResponse>();
  server.on("request", (_request: IncomingMessage, response: ServerResponse) => {
    responses.add(response);
    response.once("close", () => responses.delete(response));
  });
  return responses;
}

/** Whether the promise settled (a rejection still throws) before the bound. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), bound]);
  } finally {
    clearTimeout(timer);
  }
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
  options: { onStopped?: () => void; docs?: DocsPageOptions } = {},
): Promise<RunningServer> {
  const logger = createLogger(config);
  assertPrivateDataDir(config);
  // The serving process writes SQLite from a thread of its own (sqlite-writer.ts).
  const store = openStore(config.database, { poolSize: config.databasePoolSize, sqliteWriterThread: true });
  let secretBox: Awaited<ReturnType<typeof openMasterKeyring>>;
  try {
    const applied = await store.migrate();
    if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
    // A wrong key is refused here, once, rather than failing every signed request.
    secretBox = await openMasterKeyring(config, store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const app = await buildApp({
    config: {
      ...config,
      rateLimit: rateLimitOf(config),
      documents: {
        maxBytes: config.documentMaxBytes,
        uploadTtlSeconds: config.documentUploadTtlSeconds,
        publicUrl: config.publicUrl,
        filesDir: path.join(config.dataDir, "documents"),
      },
      docs: options.docs,
    },
    store,
    logger,
    clock: systemClock,
    secretBox,
    cursorKey: deriveCursorKey(secretBox),
    webhooks: { allowInsecure: config.allowInsecureWebhooks, attemptTimeoutMs: config.webhookTimeoutMs },
  });
  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ address, database: config.database.kind }, "vetted is serving");

  const inFlight = trackResponses(app.server);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info({ in_flight: inFlight.size }, "shutting down: finishing requests in flight");
      // app.close() stops the listener (new connections are refused) and closes the connections
      // idle at that moment; requests already running finish. Their keep-alive connections must
      // not outlive them: Node would hold each open until its keep-alive timeout (72 s) and the
      // drain would wait for it. Connection: close makes Node close each one after its response.
      // Requests arriving on a busy connection meanwhile get 503 from the app's closing check.
      for (const response of inFlight) {
        if (!response.headersSent) response.setHeader("connection", "close");
      }
      const timer = setTimeout(() => {
        logger.warn("drain timeout: closing remaining connections");
        app.server.closeAllConnections();
      }, DRAIN_TIMEOUT_MS);
      timer.unref();
      await app.close();
      clearTimeout(timer);
      if (!(await settlesWithin(store.close(), STORE_CLOSE_TIMEOUT_MS))) {
        logger.warn("the database did not close in time; exiting without waiting for it");
      }
      logger.info("stopped");
      options.onStopped?.();
    })();
    return stopping;
  };
  return { app, store, url: address, stop };
}

/** Runs until SIGTERM/SIGINT, then drains and exits 0. */
export async function serveUntilSignalled(
  config: Config,
  options: { docs?: DocsPageOptions } = {},
): Promise<RunningServer> {
  const server = await startServer(config, options);
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
