import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import { createSecretBox } from "../src/auth/secret-box.js";
import { createClient } from "../src/client/index.js";
import { buildApp } from "../src/http/app.js";
import { openStore } from "../src/store/open.js";
import { databaseKinds } from "./support/databases.js";
import { TEST_MASTER_KEY, useTestServer } from "./support/server.js";

// Slow refill (one token per 10 s) so that a slow machine cannot refill a token mid-test.
const RATE = { perSecond: 0.1, burst: 3 };

for (const kind of databaseKinds()) {
  describe(`rate limiting [${kind}]`, () => {
    const server = useTestServer(kind, { config: { rateLimit: RATE } });

    it("allows the burst, then answers 429 RATE_LIMITED with Retry-After, per credential", async () => {
      const { client, account, organization } = await server().fixture();
      const call = () => client.call("subjectRecord.list", { account_id: account.id });
      for (let i = 0; i < RATE.burst; i++) assert.ok((await call()).ok, `request ${i + 1} within the burst`);
      const limited = await call();
      assert.ok(!limited.ok);
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.errors, [
        {
          code: "RATE_LIMITED",
          message: "Too many requests for this credential; retry after the Retry-After delay",
        },
      ]);
      assert.ok(Number(limited.headers.get("retry-after")) >= 1);

      const other = await server().operator.createCredential({
        organizationId: organization.id,
        environment: "sandbox",
      });
      assert.ok((await server().clientFor(other).call("subjectRecord.list", { account_id: account.id })).ok);
    });

    it("shares one bucket across server processes on the same database", async () => {
      const { client, account, credential } = await server().fixture();
      const store = openStore(server().database.target);
      const second = await buildApp({
        config: { bodyLimit: 1_048_576, maxClockSkewSeconds: 300, metrics: false, rateLimit: RATE },
        store,
        logger: pino({ level: "silent" }),
        clock: server().clock,
        secretBox: createSecretBox(TEST_MASTER_KEY),
      });
      const url = await second.listen({ port: 0, host: "127.0.0.1" });
      try {
        const viaSecond = createClient({
          baseUrl: url,
          apiKey: credential.api_key,
          secretKey: credential.secret_key,
          authToken: credential.auth_token,
        });
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
        await second.close();
        await store.close();
      }
    });
  });
}
