/**
 * SIGTERM while `vetted serve` (a child process) is under load, on both databases: requests
 * already in flight finish with 200 and what they wrote is stored; new connections are refused
 * once the close has begun; idle keep-alive connections are closed rather than waited for; the
 * process exits 0. A request that never finishes is cut off at the 10 s drain bound, after which
 * the process still exits 0.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ChildServer } from "./support/child-server.js";
import { startChildServer, UNLIMITED } from "./support/child-server.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { createFaultFixture, type FaultFixture, uniqueApplication } from "./support/fault-fixture.js";
import { startLoad, statusCounts } from "./support/load.js";
import { connectionRefused, holdRequest, idleKeepAliveConnection } from "./support/slow-request.js";

/** The drain bound is 10 s; allow for process start-up noise on a busy machine, never a hang. */
const EXIT_BOUND_MS = 20_000;

async function exitWithin(child: ChildServer, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  const outcome = await Promise.race([child.exited, timeout]);
  clearTimeout(timer);
  assert.notEqual(outcome, "timeout", `the server did not exit within ${ms} ms of SIGTERM`);
  return outcome as Exclude<typeof outcome, "timeout">;
}

/** Polls until a new connection is refused; the server must refuse within the bound. */
async function waitUntilRefused(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await connectionRefused(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail("new connections were still accepted 5 s after SIGTERM");
}

/** The server went through its whole stop: drained, closed the database in time, said so. */
function assertCleanStop(child: ChildServer): void {
  const messages = child.logs().map((line) => line.msg);
  assert.ok(messages.includes("shutting down: finishing requests in flight"));
  assert.ok(!messages.includes("the database did not close in time; exiting without waiting for it"));
  assert.ok(messages.includes("stopped"), "the server logged its clean stop");
}

const SHUTTING_DOWN = [{ code: "SERVICE_UNAVAILABLE", message: "The server is shutting down" }];

for (const kind of databaseKinds()) {
  describe(`graceful shutdown [${kind}]`, () => {
    let database: TestDatabase;
    let fixture: FaultFixture;
    const children: ChildServer[] = [];

    before(async () => {
      database = await createTestDatabase(kind);
      fixture = await createFaultFixture(database);
    });

    after(async () => {
      for (const child of children) await child.kill();
      await fixture?.store.close();
      await database?.drop();
    });

    it("SIGTERM under load: in-flight requests finish with 200, new connections are refused, exit 0", async () => {
      const child = await startChildServer({ database: database.url, args: UNLIMITED });
      children.push(child);
      const { account, credential, store } = fixture;
      const load = startLoad({
        baseUrl: child.url,
        credential,
        workers: 2,
        next: (worker, n) => uniqueApplication(account.id, `${kind}-load-${worker}-${n}`),
      });
      load.phase = "serving";
      await load.waitFor((o) => o.status === 200, 5);
      const held = await Promise.all(
        [0, 1, 2].map((i) =>
          holdRequest(
            child.url,
            credential,
            "workflow.create",
            uniqueApplication(account.id, `${kind}-held-${i}`).body,
          ),
        ),
      );
      const idle = await idleKeepAliveConnection(child.url);

      child.process.kill("SIGTERM");
      load.phase = "terminating";
      await waitUntilRefused(child.url);
      assert.equal(child.process.exitCode, null, "refusing new connections while still draining");
      await idle.closed;

      const finished = await Promise.all(held.map((request) => request.finish()));
      const exit = await exitWithin(child, EXIT_BOUND_MS);
      await load.stop();
      assert.deepEqual(exit, { code: 0, signal: null });

      for (const response of finished) {
        assert.equal(response.status, 200, JSON.stringify(response.json));
        // The client asked for keep-alive; the server tells it not to reuse the connection.
        assert.equal(response.headers.connection, "close");
        assert.equal(response.json.meta?.status, "SUCCESS");
        const workflow = response.json.data?.workflow as { workflow_id: string };
        assert.ok(await store.getWorkflow(workflow.workflow_id), "the in-flight write was committed");
      }
      // Load requests: answered 200 (and stored), refused while closing (503 envelope), or, once
      // the listener was closed, not connected at all. Never a 500, never a hang.
      const counts = JSON.stringify(statusCounts(load.outcomes));
      for (const outcome of load.outcomes) {
        if (outcome.status === 200) {
          const workflow = outcome.json?.data?.workflow as { workflow_id: string };
          assert.ok(await store.getWorkflow(workflow.workflow_id));
        } else if (outcome.status === 503) {
          assert.deepEqual(outcome.json?.errors, SHUTTING_DOWN);
          assert.equal(outcome.headers?.get("retry-after"), "1");
        } else {
          // (A request written to a keep-alive connection at the very moment the server closes it
          // as idle is lost too: HTTP/1.1 cannot tell the two apart. The held requests above are
          // the ones provably in flight.)
          assert.equal(outcome.status, "network-error", `${outcome.error} (${counts})`);
        }
      }
      assertCleanStop(child);
    });

    it("a request that never finishes is cut off at the drain bound; the process still exits 0", async () => {
      const child = await startChildServer({ database: database.url, args: UNLIMITED });
      children.push(child);
      const { account, credential } = fixture;
      const stuck = await holdRequest(
        child.url,
        credential,
        "workflow.create",
        uniqueApplication(account.id, `${kind}-stuck`).body,
      );
      child.process.kill("SIGTERM");
      await waitUntilRefused(child.url);
      const exit = await exitWithin(child, EXIT_BOUND_MS);
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.ok(await stuck.cut, "the stuck connection was closed by the server");
      assert.ok(child.logs().some((line) => line.msg === "drain timeout: closing remaining connections"));
      assertCleanStop(child);
    });
  });
}
