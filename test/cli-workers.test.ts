import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { startChildServer } from "./support/child-server.js";
import { cliArguments, cliEnvironment } from "./support/cli-process.js";
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from "./support/databases.js";

const run = promisify(execFile);

describe("vetted serve --workers", { skip: postgresAdminUrl() ? false : "needs PostgreSQL" }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase("postgres");
  });
  after(async () => {
    await database.drop();
  });

  it("serves one port from several processes on PostgreSQL and drains them all on SIGTERM", async () => {
    const child = await startChildServer({ database: database.url, args: ["--workers", "2"] });
    try {
      await child.waitForLine((line) => line.includes('"workers":2'), 20_000);
      // Both workers announce themselves; wait until the second one is listening too.
      const deadline = Date.now() + 30_000;
      while (child.logs().filter((l) => l.msg === "vetted is serving").length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const servers = new Set(
        child
          .logs()
          .filter((l) => l.msg === "vetted is serving")
          .map((l) => l.pid),
      );
      assert.equal(servers.size, 2, "two worker processes are serving");
      // New connections are spread over the workers; within a few dozen, both answer.
      const answering = new Set<unknown>();
      for (let i = 0; i < 40 && answering.size < 2; i++) {
        const response = await fetch(`${child.url}/meta.checkVersion`, {
          method: "POST",
          headers: { connection: "close" },
        });
        assert.equal(response.status, 200);
        const traceId = response.headers.get("x-trace-id");
        const line = await child.waitForLine((l) => traceId !== null && l.includes(traceId));
        answering.add((JSON.parse(line) as { pid: number }).pid);
      }
      assert.equal(answering.size, 2, "both workers answered requests");
    } finally {
      assert.equal(await child.stop(), 0);
    }
  });
});

describe("vetted serve --workers on SQLite", () => {
  it("refuses more than one worker on SQLite with exit status 2", async () => {
    const result = await run(
      process.execPath,
      cliArguments(["serve", "--database", "sqlite::memory:", "--workers", "2"]),
      { env: cliEnvironment({ ...process.env, VETTED_MASTER_KEY: Buffer.alloc(32, 1).toString("base64") }) },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr.trim(), /^vetted: .*--workers.*SQLite is served by one process/);
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });
});
