/**
 * The HTTP application, built from its infrastructure so tests run the real thing on a real
 * database: `buildApp({ config, store, logger, clock, secretBox })`.
 *
 * Request path for a method: route found (else 400) → Content-Type, X-API-Version or
 * Idempotency-Key sent twice (400) → X-API-Version (400) → Content-Type (415) and size (413) →
 * KSig1 over the raw bytes (401; a signing header sent twice fails step 1) → permission (403) →
 * body: UTF-8, JSON, no key twice (400) → schema (400) → well-formed strings (400) → the
 * declaration's refine (400) → handler. The body is kept as bytes until after authentication, because signatures and content
 * hashes are over the bytes exactly as received.
 */
import cluster from "node:cluster";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { createAuthenticator } from "../auth/authenticate.js";
import type { SecretBox } from "../auth/secret-box.js";
import type { Config } from "../config.js";
import { registerDownloadRoute } from "../documents/download-route.js";
import { startDocumentHousekeeping } from "../documents/housekeeping.js";
import { type DocumentOptions, documentSettings } from "../documents/settings.js";
import { registerUploadRoute } from "../documents/upload-route.js";
import type { Clock } from "../domain/clock.js";
import { newId } from "../domain/ids.js";
import { LATEST_VERSION } from "../domain/versions.js";
import { ApiError } from "../errors.js";
import type { MethodDefinition } from "../methods/define.js";
import { registerValueFormats } from "../methods/formats/rules.js";
import { METHODS } from "../methods/index.js";
import type { Store } from "../store/store.js";
import { createDeliveryMetrics } from "../webhooks/delivery-metrics.js";
import { startWebhookWorker, type WebhookWorkerOptions } from "../webhooks/worker.js";
import { scrapeThroughPrimary } from "./cluster-metrics.js";
import { type DocsPageOptions, registerDocsPage } from "./docs-page/register.js";
import { installErrorHandling, loggedError, sendClientError, sendError } from "./error-handling.js";
import { type EventStreamOptions, registerEventStream } from "./event-stream-route.js";
import { registerMethod } from "./method-route.js";
import { createMetrics } from "./metrics.js";
import { openApiOptions } from "./openapi-options.js";
import { startPurger } from "./purger.js";
import { createRateLimiter, type RateLimit } from "./rate-limit.js";
import { requestLogFields } from "./request-log.js";

export interface AppDeps {
  config: Pick<Config, "bodyLimit" | "maxClockSkewSeconds" | "metrics"> & {
    /** webhooks.md: http:// endpoints on localhost are accepted (development only); default false. */
    allowInsecureWebhooks?: boolean;
    /** Per-credential request rate; absent or 0 per second means no limit. */
    rateLimit?: RateLimit;
    /** How often expired nonces and idempotency keys are purged (default one minute). */
    purgeIntervalMs?: number;
    /** The live event stream's poll and keep-alive intervals (tests make them short). */
    eventStream?: EventStreamOptions;
    /** Document limits, public URL and files directory (data.md §10, operator.md). */
    documents?: DocumentOptions;
    /** The docs page at /docs; `vetted demo` offers its credentials there (docs-page/demo-offer.ts). */
    docs?: DocsPageOptions;
  };
  store: Store;
  logger: FastifyBaseLogger;
  clock: Clock;
  secretBox: SecretBox;
  /** Signs list cursors (`deriveCursorKey(masterKey)`), so a cursor answers only its own list. */
  cursorKey: Uint8Array;
  methods?: readonly MethodDefinition[];
  /** Runs this process's webhook delivery worker (webhooks/worker.ts); absent: none. */
  webhooks?: WebhookWorkerOptions;
}

declare module "fastify" {
  interface FastifyRequest {
    apiVersion: string;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Errors are logged by type, code and message: a driver's detail can quote request data.
  const logger = deps.logger.child({}, { serializers: { err: loggedError } });
  // Set at start and never changed while serving.
  const logsRequests = ["trace", "debug", "info"].includes(logger.level);
  const app = Fastify({
    loggerInstance: logger,
    genReqId: () => newId("trace"),
    // One line per request is written in onResponse instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: "trace_id", disableRequestLogging: true }),
    bodyLimit: deps.config.bodyLimit,
    return503OnClosing: false,
    clientErrorHandler: sendClientError,
    ajv: {
      // Strict validation: unknown fields are rejected (not stripped), types are not coerced,
      // and every invalid field is reported at once.
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false },
      // Vetted's value formats (data.md §2.4); the date ones read this app's clock.
      plugins: [(ajv) => registerValueFormats(ajv, deps.clock)],
    },
  });
  app.decorateRequest("apiVersion", LATEST_VERSION);
  app.decorateRequest("answeredError", null);

  const metrics = createMetrics({ load: () => deps.store.load() });
  // A worker of `serve --workers N` answers /metrics for the whole server (cluster-metrics.ts).
  const clusterScrape =
    cluster.isWorker && deps.config.metrics ? scrapeThroughPrimary(metrics.registry) : undefined;
  const authenticator = createAuthenticator({
    store: deps.store,
    secretBox: deps.secretBox,
    clock: deps.clock,
    maxClockSkewSeconds: deps.config.maxClockSkewSeconds,
  });
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });

  installErrorHandling(app);

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-trace-id", request.id);
    if (closing) {
      throw new ApiError("SERVICE_UNAVAILABLE", { message: "The server is shutting down", retryAfter: 1 });
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observe({
      method: request.routeOptions.config?.apiMethod,
      status: reply.statusCode,
      errorCode: request.answeredError?.code,
      subCode: request.answeredError?.sub_code,
      seconds: reply.elapsedTime / 1000,
    });
    // The fields are built only when the line is written (`--log-level warn` writes none).
    if (logsRequests) request.log.info(requestLogFields(request, reply), "request");
  });

  // Bodies stay raw bytes here; method routes parse JSON themselves after authentication.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) =>
    done(null, body),
  );

  await app.register(swagger, openApiOptions(deps.methods ?? METHODS));
  await registerDocsPage(app, deps.config.docs);

  const rateLimiter = createRateLimiter(deps.config.rateLimit, deps.store, deps.clock);
  const documents = documentSettings(deps.config.documents ?? {}, {
    secretBox: deps.secretBox,
    dialect: deps.store.dialect,
    listeningUrl: () => listeningUrl(app),
  });
  for (const method of deps.methods ?? METHODS) {
    registerMethod(app, method, {
      ...deps,
      authenticator,
      rateLimiter,
      allowInsecureWebhooks: deps.config.allowInsecureWebhooks ?? false,
      documents,
    });
  }
  registerUploadRoute(app, { store: deps.store, clock: deps.clock, documents });
  registerDownloadRoute(app, { store: deps.store, clock: deps.clock, documents });
  registerEventStream(app, { ...deps, authenticator, rateLimiter, options: deps.config.eventStream });
  const stopPurger = startPurger({
    store: deps.store,
    clock: deps.clock,
    logger,
    maxClockSkewSeconds: deps.config.maxClockSkewSeconds,
    intervalMs: deps.config.purgeIntervalMs ?? 60_000,
  });
  const stopHousekeeping = startDocumentHousekeeping({
    store: deps.store,
    clock: deps.clock,
    documents,
    logger,
    intervalMs: deps.config.purgeIntervalMs ?? 60_000,
  });
  const deliveryMetrics = createDeliveryMetrics(
    metrics.registry,
    () => deps.store.oldestPendingDelivery(),
    deps.clock,
  );
  const webhookWorker =
    deps.webhooks &&
    startWebhookWorker({
      ...deps.webhooks,
      store: deps.store,
      clock: deps.clock,
      secretBox: deps.secretBox,
      logger,
      metrics: deliveryMetrics,
    });
  app.addHook("onClose", async () => {
    clusterScrape?.stop();
    stopPurger();
    stopHousekeeping();
    await webhookWorker?.stop();
  });

  app.setNotFoundHandler((request, reply) => {
    sendError(
      reply,
      new ApiError("BAD_REQUEST", {
        message: `Unknown method: ${request.method} ${request.url.split("?")[0]}. Methods are POST /<method.name>.`,
        field: null,
      }),
    );
  });

  const hidden = { schema: { hide: true } };
  app.get("/healthz", hidden, async () => ({ status: "ok" }));
  app.get("/readyz", hidden, async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: "ok" };
    } catch {
      return reply.code(503).header("retry-after", "1").send({ status: "unavailable" });
    }
  });
  app.get("/openapi.json", hidden, async () => app.swagger());
  app.get("/metrics", hidden, async (request, reply) => {
    // Turned off, /metrics is a route that is not there: 404, as a Prometheus scraper expects,
    // rather than the envelope's BAD_REQUEST meant for method paths (docs/decisions.md).
    if (!deps.config.metrics) {
      return reply.code(404).type("text/plain; charset=utf-8").send("Not Found: metrics are turned off\n");
    }
    if (!clusterScrape)
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    try {
      const text = await clusterScrape.scrape();
      return reply.type(metrics.registry.contentType).send(text);
    } catch (error) {
      request.log.warn({ err: error }, "metrics scrape failed");
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send(`${(error as Error).message}\n`);
    }
  });
  return app;
}

/** `http://<host>:<port>` of the listening server: the default public URL (operator.md). */
function listeningUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === "string") return "http://127.0.0.1";
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
