import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "../src/config.js";
import { type RateLimit, rateLimitOf } from "../src/http/rate-limit.js";
import { databaseKinds } from "./support/databases.js";
import { startSecondApp, type TestServer, useTestServer } from "./support/server.js";
import { queryRows } from "./support/sql.js";

// Slow refill (one token per 10 s) so that a slow machine cannot refill a token mid-test.
const RATE = { perSecond: 0.1, burst: 3 };
const LIMITED = [
  {
    code: "RATE_LIMITED",
    message: "Too many requests for this credential; retry after the Retry-After delay",
  },
];

const bucketRows = (server: TestServer) => queryRows(server.database, "select api_key from rate_buckets");

/** Runs fn with the server clock standing still, so no token refills while it runs. */
async function withPinnedClock<T>(server: TestServer, fn: () => Promise<T>): Promise<T> {
  server.clock.pinnedMs = Date.now();
  try {
    return await fn();
  } finally {
    server.clock.pinnedMs = undefined;
  }
}

for (const kind of databaseKinds()) {
  for (const shared of [false, true]) {
    describe(`rate limiting, ${shared ? "shared through the database" : "in process"} [${kind}]`, () => {
      const server = useTestServer(kind, { config: { rateLimit: { ...RATE, shared } } });

      it("allows the burst, then answers 429 RATE_LIMITED with Retry-After, per credential", async () => {
        const { client, account, organization } = await server().fixture();
        const call = () => client.call("subjectRecord.list", { account_id: account.id });
        for (let i = 0; i < RATE.burst; i++)
          assert.ok((await call()).ok, `request ${i + 1} within the burst`);
        const limited = await call();
        assert.ok(!limited.ok);
        assert.equal(limited.status, 429);
        assert.deepEqual(limited.errors, LIMITED);
        assert.ok(Number(limited.headers.get("retry-after")) >= 1);

        const other = await server().operator.createCredential({
          organizationId: organization.id,
          environment: "sandbox",
        });
        assert.ok(
          (await server().clientFor(other).call("subjectRecord.list", { account_id: account.id })).ok,
        );
        // The in-process bucket touches no database; the shared one keeps a row per credential.
        assert.equal((await bucketRows(server())).length, shared ? 2 : 0);
      });
    });
  }

  describe(`rate limiting shared through the database [${kind}]`, () => {
    const server = useTestServer(kind, { config: { rateLimit: { ...RATE, shared: true } } });

    it("shares one bucket across server processes on the same database", async () => {
      const { client, account, credential } = await server().fixture();
      const second = await startSecondApp(server(), { rateLimit: { ...RATE, shared: true } });
      try {
        const viaSecond = second.clientFor(credential);
        const body = { account_id: account.id };
        const results = [
          await client.call("subjectRecord.list", body),
          await viaSecond.call("subjectRecord.list", body),
          await client.call("subjectRecord.list", body),
          await viaSecond.call("subjectRecord.list", body),
        ];
        assert.deepEqual(
          results.map((r) => r.status),
          [200, 200, 200, 429],
        );
      } finally {
        await second.stop();
      }
    });
  });

  describe(`the default rate limit [${kind}]`, () => {
    // What `vetted serve` runs with when no rate-limit flag or variable is given.
    const defaults: RateLimit = rateLimitOf(parseConfig({}, {}));
    const server = useTestServer(kind, { config: { rateLimit: defaults } });

    it("is on, per process, 100 a second with bursts of 200", () => {
      assert.deepEqual(defaults, { perSecond: 100, burst: 200, shared: false });
    });

    it("lets a burst of 200 through and refuses the 201st with 429 and Retry-After, writing no bucket", async () => {
      const { client, account } = await server().fixture();
      const call = () => client.call("subjectRecord.list", { account_id: account.id, limit: 1 });
      await withPinnedClock(server(), async () => {
        for (let i = 0; i < 200; i += 20) {
          const answers = await Promise.all(Array.from({ length: 20 }, call));
          assert.deepEqual(
            answers.map((a) => a.status),
            Array(20).fill(200),
          );
        }
        const limited = await call();
        assert.ok(!limited.ok);
        assert.equal(limited.status, 429);
        assert.deepEqual(limited.errors, LIMITED);
        assert.equal(limited.headers.get("retry-after"), "1");
        // A second later, 100 more tokens.
        server().clock.pinnedMs = (server().clock.pinnedMs ?? 0) + 1000;
        assert.ok((await call()).ok);
      });
      assert.equal((await bucketRows(server())).length, 0);
    });

    it("keeps workflow.create's folded checks: a remembered credential is not read again", async () => {
      const { credential, account } = await server().fixture();
      let credentialReads = 0;
      const second = await startSecondApp(server(), { rateLimit: defaults }, (store) => ({
        ...store,
        getCredential(apiKey) {
          credentialReads++;
          return store.getCredential(apiKey);
        },
      }));
      try {
        const client = second.clientFor(credential);
        for (let i = 0; i < 3; i++) {
          const created = await client.call("workflow.create", {
            account_id: account.id,
            workflow: { type: "ACCOUNT_PROVISIONING" },
          });
          assert.ok(created.ok);
        }
        assert.equal(credentialReads, 1, "read at the first sighting only, as with no limit");
      } finally {
        await second.stop();
      }
    });
  });
}
