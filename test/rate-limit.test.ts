import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds } from "./support/databases.js";
import { startSecondApp, useTestServer } from "./support/server.js";

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
      const second = await startSecondApp(server(), { rateLimit: RATE });
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
}
