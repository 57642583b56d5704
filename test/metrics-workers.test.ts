/**
 * Issue 16, item 5: with `vetted serve --workers 2` on PostgreSQL, one scrape of /metrics — which
 * ever worker answers it — shows the requests of every worker, and so do the scrapes after it.
 * The same run checks the log of a real server process: every stdout line is JSON, each request
 * line says who and how it ended, and no line holds the secret key or the auth token.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { IssuedCredential } from "../src/admin/operator.js";
import type { Store } from "../src/store/store.js";
import { type ChildServer, openSideOperator, startChildServer, UNLIMITED } from "./support/child-server.js";
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from "./support/databases.js";
import { createRecordingClient } from "./support/error-record.js";
import { sampleValue } from "./support/metrics-text.js";

/** Each request on a connection of its own, so the workers share them (cluster's round robin). */
const OWN_CONNECTION = { headers: { connection: "close" } };

describe("vetted serve --workers 2: /metrics adds up", {
  skip: postgresAdminUrl() ? false : "needs PostgreSQL",
}, () => {
  let database: TestDatabase;
  let side: { store: Store };
  let child: ChildServer;
  let accountId: string;
  let credential: IssuedCredential;
  before(async () => {
    database = await createTestDatabase("postgres");
    const opened = await openSideOperator(database);
    side = opened;
    const organization = await opened.operator.createOrganization("Metrics organization");
    const account = await opened.operator.createAccount({
      organizationId: organization.id,
      environment: "sandbox",
    });
    accountId = account.id;
    credential = await opened.operator.createCredential({
      organizationId: organization.id,
      environment: "sandbox",
    });
    child = await startChildServer({ database: database.url, args: ["--workers", "2", ...UNLIMITED] });
    const deadline = Date.now() + 30_000;
    while (child.logs().filter((l) => l.msg === "vetted is serving").length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(async () => {
    const code = child ? await child.stop() : 0;
    await side?.store.close();
    await database?.drop();
    assert.equal(code, 0);
  });

  const clientWith = (authToken: string) =>
    createRecordingClient({
      baseUrl: child.url,
      apiKey: credential.api_key,
      secretKey: credential.secret_key,
      authToken,
    });

  /** The request log line of this trace ID, once the worker has written it (after its metrics). */
  async function requestLine(traceId: string): Promise<Record<string, unknown>> {
    const line = await child.waitForLine(
      (l) => l.includes(`"trace_id":"${traceId}"`) && l.includes('"msg":"request"'),
    );
    return JSON.parse(line) as Record<string, unknown>;
  }

  it("after N requests spread over both workers, one scrape shows N, and so does the next", async () => {
    const good = clientWith(credential.auth_token);
    const wrong = clientWith(`${credential.auth_token.slice(0, -4)}AAAA`);
    const workflow = { account_id: accountId, workflow: { type: "ACCOUNT_PROVISIONING" as const } };
    const served = new Set<unknown>();
    const sent = { ok: 0, unauthenticated: 0, malformed: 0 };
    const lines: Record<string, unknown>[] = [];
    // At least 4 of each; more successes until both workers have answered (bounded).
    for (let i = 0; i < 40 && (i < 12 || served.size < 2); i++) {
      const kind = i < 12 ? (["ok", "unauthenticated", "malformed"] as const)[i % 3] : "ok";
      const result =
        kind === "ok"
          ? await good.call("workflow.create", workflow, OWN_CONNECTION)
          : kind === "unauthenticated"
            ? await wrong.call("workflow.create", workflow, OWN_CONNECTION)
            : await good.call(
                "workflow.create",
                { ...workflow, workflow: { type: "NOT_A_TYPE" } } as never,
                OWN_CONNECTION,
              );
      assert.equal(result.status, { ok: 200, unauthenticated: 401, malformed: 400 }[kind ?? "ok"]);
      sent[kind ?? "ok"]++;
      const line = await requestLine(result.meta.trace_id);
      lines.push(line);
      served.add(line.pid);
    }
    assert.equal(served.size, 2, "both workers answered requests");
    const total = sent.ok + sent.unauthenticated + sent.malformed;

    for (let scrape = 0; scrape < 2; scrape++) {
      const response = await fetch(`${child.url}/metrics`, OWN_CONNECTION);
      assert.equal(response.status, 200);
      const text = await response.text();
      const count = (name: string, labels: Record<string, string>) => sampleValue(text, name, labels) ?? 0;
      const byStatus = ["200", "400", "401"].map((code) =>
        count("vetted_requests_total", { method: "workflow.create", code }),
      );
      assert.deepEqual(byStatus, [sent.ok, sent.malformed, sent.unauthenticated], text);
      assert.equal(
        byStatus.reduce((a, b) => a + b, 0),
        total,
      );
      assert.equal(
        count("vetted_request_duration_seconds_count", { method: "workflow.create" }),
        total,
        "histograms add up too",
      );
      assert.equal(
        count("vetted_error_responses_total", { code: "AUTHENTICATION_FAILED" }),
        sent.unauthenticated,
      );
      assert.equal(count("vetted_error_responses_total", { code: "BAD_REQUEST" }), sent.malformed);
      assert.equal(
        count("vetted_auth_failures_total", { sub_code: "INVALID_CREDENTIALS" }),
        sent.unauthenticated,
      );
      assert.equal(count("vetted_metrics_workers", { state: "running" }), 2);
      assert.equal(count("vetted_metrics_workers", { state: "reported" }), 2, "no worker left out");
      assert.ok(count("vetted_db_pool_connections", { state: "total" }) >= 2, "both workers' pools, summed");
    }

    // The request lines of a real process carry who, what and how it ended.
    const ok = lines.find((l) => l.status === 200);
    const refused = lines.find((l) => l.status === 401);
    const bad = lines.find((l) => l.status === 400);
    assert.deepEqual(
      [ok?.method, ok?.api_key, ok?.account_id, typeof ok?.ms, typeof ok?.trace_id],
      ["workflow.create", credential.api_key, accountId, "number", "string"],
    );
    assert.deepEqual(
      [refused?.error_code, refused?.sub_code, refused?.api_key],
      ["AUTHENTICATION_FAILED", "INVALID_CREDENTIALS", credential.api_key],
    );
    assert.equal(bad?.error_code, "BAD_REQUEST");
  });

  it("stdout is JSON log lines only, and no line holds the secret key or the auth token", () => {
    for (const line of child.stdout.filter((l) => l !== "")) {
      assert.doesNotThrow(() => JSON.parse(line), `stdout line is JSON: ${line}`);
    }
    const everything = [...child.stdout, ...child.stderr].join("\n");
    assert.ok(!everything.includes(credential.secret_key), "no secret key in the output");
    assert.ok(!everything.includes(credential.auth_token), "no auth token in the output");
  });

  it("a worker that does not answer is left out after a bound, and the scrape says so", async () => {
    const workerPids = child
      .logs()
      .filter((l) => l.msg === "vetted is serving")
      .map((l) => l.pid as number);
    const stopped = workerPids[0] as number;
    process.kill(stopped, "SIGSTOP");
    try {
      // Connections still reach the stopped worker too (round robin): try until the other answers.
      let text: string | undefined;
      for (let attempt = 0; attempt < 6 && text === undefined; attempt++) {
        const response = await fetch(`${child.url}/metrics`, {
          ...OWN_CONNECTION,
          signal: AbortSignal.timeout(10_000),
        }).catch(() => undefined);
        if (response) {
          assert.equal(response.status, 200);
          text = await response.text();
        }
      }
      assert.ok(text !== undefined, "the running worker answered a scrape");
      assert.equal(sampleValue(text, "vetted_metrics_workers", { state: "running" }), 2);
      assert.equal(sampleValue(text, "vetted_metrics_workers", { state: "reported" }), 1, "a partial scrape");
    } finally {
      process.kill(stopped, "SIGCONT");
    }
    // Its late answer is ignored, and the next scrape has both workers again.
    let reported: number | undefined;
    for (let attempt = 0; attempt < 10 && reported !== 2; attempt++) {
      const response = await fetch(`${child.url}/metrics`, OWN_CONNECTION);
      reported = sampleValue(await response.text(), "vetted_metrics_workers", { state: "reported" });
    }
    assert.equal(reported, 2);
  });
});
