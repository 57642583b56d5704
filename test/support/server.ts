/**
 * Starts the real app on a real database and a real port, in this process, for one test file.
 * `useTestServer(kind)` registers before/after hooks; `fixture()` makes an organization, an
 * account and a credential, and returns a signed client for them.
 */
import { Writable } from "node:stream";
import { after, before } from "node:test";
import type { VettedClient } from "@vetted/client";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import {
  type CredentialOptions,
  createOperator,
  type IssuedCredential,
  type Operator,
} from "../../src/admin/operator.js";
import type { Element } from "../../src/auth/ksig1.js";
import { createSecretBox } from "../../src/auth/secret-box.js";
import type { AccountDataSettings } from "../../src/domain/account-settings.js";
import type { Clock } from "../../src/domain/clock.js";
import type { Account, Organization } from "../../src/domain/records.js";
import { type AppDeps, buildApp } from "../../src/http/app.js";
import { deriveCursorKey } from "../../src/methods/pagination.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "./databases.js";
import { createRecordingClient } from "./error-record.js";

export const TEST_MASTER_KEY = Buffer.alloc(32, 7);
/** Derived as the server derives it, so a child server on TEST_MASTER_KEY accepts the same cursors. */
export const TEST_CURSOR_KEY = deriveCursorKey(createSecretBox(TEST_MASTER_KEY));

/** A clock tests can move, or pin to one instant (`pinnedMs`) so it stands still while a request runs. */
export class TestClock implements Clock {
  offsetMs = 0;
  pinnedMs: number | undefined;
  now(): Date {
    return new Date((this.pinnedMs ?? Date.now()) + this.offsetMs);
  }
}

export interface Fixture {
  organization: Organization;
  account: Account;
  credential: IssuedCredential;
  client: VettedClient;
}

export interface FixtureOptions {
  allowMultipleApplicationsPerEmail?: boolean;
  /**
   * The account's data settings beyond the defaults (data.md §3.6). Unlike a real new account, a
   * fixture's `completion_requirements` is `[]` unless given: the lifecycle tests complete empty
   * applications, and the tests of requirements name the list they judge.
   */
  dataSettings?: Partial<AccountDataSettings>;
  credential?: Partial<Omit<CredentialOptions, "organizationId" | "environment">>;
  environment?: "sandbox" | "live";
  signedElements?: readonly Element[];
}

export interface TestServer {
  kind: DatabaseKind;
  database: TestDatabase;
  store: Store;
  operator: Operator;
  app: FastifyInstance;
  url: string;
  clock: TestClock;
  /** Every log line the server wrote, as text. */
  logs: string[];
  fixture(options?: FixtureOptions): Promise<Fixture>;
  clientFor(credential: IssuedCredential, signedElements?: readonly Element[]): VettedClient;
}

export interface TestServerOptions {
  config?: Partial<AppDeps["config"]>;
  poolSize?: number;
  /** The methods to serve (default: all); a test may add one of its own. */
  methods?: AppDeps["methods"];
  /** Runs the webhook delivery worker with these options (none by default). */
  webhooks?: AppDeps["webhooks"];
}

export async function startTestServer(kind: DatabaseKind, options: TestServerOptions = {}) {
  const database = await createTestDatabase(kind);
  const store = openStore(database.target, { poolSize: options.poolSize ?? 10, sqliteWriterThread: true });
  await store.migrate();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: "info" }, sink);
  const clock = new TestClock();
  const secretBox = createSecretBox(TEST_MASTER_KEY);
  const config = { bodyLimit: 1_048_576, maxClockSkewSeconds: 300, metrics: true, ...options.config };
  const app = await buildApp({
    config,
    store,
    logger,
    clock,
    secretBox,
    cursorKey: TEST_CURSOR_KEY,
    methods: options.methods,
    webhooks: options.webhooks,
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const operator = createOperator({ store, secretBox, clock });

  const clientFor = (credential: IssuedCredential, signedElements?: readonly Element[]) =>
    createRecordingClient({
      baseUrl: url,
      apiKey: credential.api_key,
      secretKey: credential.secret_key,
      authToken: credential.auth_token,
      signedElements: signedElements ?? (credential.signature_policy === "compat" ? ["API-Key"] : undefined),
    });

  const server: TestServer = {
    kind,
    database,
    store,
    operator,
    app,
    url,
    clock,
    logs,
    clientFor,
    async fixture(fixtureOptions = {}) {
      const environment = fixtureOptions.environment ?? "sandbox";
      const organization = await operator.createOrganization("Test organization");
      const account = await operator.createAccount({
        organizationId: organization.id,
        environment,
        allowMultipleApplicationsPerEmail: fixtureOptions.allowMultipleApplicationsPerEmail,
        dataSettings: { completion_requirements: [], ...fixtureOptions.dataSettings },
      });
      const credential = await operator.createCredential({
        organizationId: organization.id,
        environment,
        ...fixtureOptions.credential,
      });
      return {
        organization,
        account,
        credential,
        client: clientFor(credential, fixtureOptions.signedElements),
      };
    },
  };
  const stop = async () => {
    await app.close();
    await store.close();
    await database.drop();
  };
  return { server, stop };
}

/** Registers before/after hooks in the current suite; the returned function gives the server. */
export function useTestServer(kind: DatabaseKind, options: TestServerOptions = {}): () => TestServer {
  let started: Awaited<ReturnType<typeof startTestServer>> | undefined;
  before(async () => {
    started = await startTestServer(kind, options);
  });
  after(async () => {
    await started?.stop();
  });
  return () => {
    if (!started) throw new Error("test server not started");
    return started.server;
  };
}

/**
 * A second app on the test server's database, in this process: what two server processes sharing
 * one database look like to the store. Returns a client factory bound to it and a stop function.
 */
export async function startSecondApp(
  server: TestServer,
  config: Partial<AppDeps["config"]> = {},
  /** What the app sees of its store: the store itself unless a test puts something between. */
  wrap: (store: Store) => Store = (store) => store,
  /** The methods to serve (default: all). */
  methods?: AppDeps["methods"],
) {
  const store = openStore(server.database.target);
  const app = await buildApp({
    config: { bodyLimit: 1_048_576, maxClockSkewSeconds: 300, metrics: false, ...config },
    store: wrap(store),
    logger: pino({ level: "silent" }),
    clock: server.clock,
    secretBox: createSecretBox(TEST_MASTER_KEY),
    cursorKey: TEST_CURSOR_KEY,
    methods,
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    clientFor: (credential: IssuedCredential) =>
      createRecordingClient({
        baseUrl: url,
        apiKey: credential.api_key,
        secretKey: credential.secret_key,
        authToken: credential.auth_token,
      }),
    async stop() {
      await app.close();
      await store.close();
    },
  };
}
