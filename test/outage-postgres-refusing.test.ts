/**
 * A PostgreSQL database that refuses connections (`ALTER DATABASE … ALLOW_CONNECTIONS false`, its
 * sessions terminated): the server answers every call 503 SERVICE_UNAVAILABLE with Retry-After,
 * as /readyz does — never 500 — and serves again by itself once connections are allowed. The
 * refusal comes from the server while connecting (SQLSTATE 55000, severity FATAL), a code of a
 * class that also holds errors which are no outage, so it must be classified as a refused session,
 * not by its code. Runs on the test's own throwaway database on the shared server.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { postgresAdminUrl } from "./support/databases.js";
import { assertError, assertSuccess, type RawResponse, sendSigned } from "./support/http.js";
import { type TestServer, useTestServer } from "./support/server.js";
import { applicationBody } from "./support/workflows.js";

const UNAVAILABLE = [{ code: "SERVICE_UNAVAILABLE" as const, message: "The database is unavailable" }];

async function asAdmin(statements: (database: string) => string[], database: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    for (const text of statements(database)) await client.query(text);
  } finally {
    await client.end();
  }
}

const refuseConnections = (database: string) => [
  `alter database ${database} allow_connections false`,
  `select pg_terminate_backend(pid) from pg_stat_activity
   where datname = '${database}' and pid <> pg_backend_pid()`,
];
const allowConnections = (database: string) => [`alter database ${database} allow_connections true`];

function assertUnavailable(response: RawResponse, what: string): void {
  assertError(response, 503, UNAVAILABLE);
  assert.equal(response.headers.get("retry-after"), "1", `${what}: Retry-After`);
}

describe("PostgreSQL refusing connections (ALLOW_CONNECTIONS false) [postgres]", {
  skip: postgresAdminUrl() ? undefined : "VETTED_TEST_DATABASE_URL is not set",
}, () => {
  const server = useTestServer("postgres");

  function databaseName(test: TestServer): string {
    return new URL(test.database.url).pathname.slice(1);
  }

  it("answers every call 503 with Retry-After while refused, and recovers by itself", async () => {
    const { credential, account } = await server().fixture();
    const url = server().url;
    // A write on the path that takes the credential from memory after the first sighting.
    const create = () =>
      sendSigned(
        url,
        credential,
        "workflow.create",
        applicationBody(account.id, { email: `${Math.random()}@x.io` }),
      );
    const first = assertSuccess(await create()) as { workflow: { workflow_id: string } };
    const created = first.workflow.workflow_id;
    const calls = [
      create,
      () => sendSigned(url, credential, "workflow.get", { workflow_id: created }),
      () => sendSigned(url, credential, "subjectRecord.list", { account_id: account.id }),
    ];
    for (const call of calls) assertSuccess(await call());

    const name = databaseName(server());
    await asAdmin(refuseConnections, name);
    try {
      // Twice each: the first may meet a pooled connection that was just terminated, the second
      // must open a new one and be refused.
      for (let round = 0; round < 2; round++) {
        for (const [i, call] of calls.entries()) assertUnavailable(await call(), `call ${i}, round ${round}`);
      }
      const readyz = await fetch(`${url}/readyz`);
      assert.equal(readyz.status, 503);
      assert.equal(readyz.headers.get("retry-after"), "1");
    } finally {
      await asAdmin(allowConnections, name);
    }

    for (const call of calls) assertSuccess(await call());
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    const errors = server().logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errors, [], "no error-level log lines");
  });
});
