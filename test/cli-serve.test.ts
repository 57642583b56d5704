/**
 * `vetted migrate` and `vetted serve` as real processes: migrations applied once even by racing
 * processes, health routes, graceful SIGTERM, and credentials issued by `vetted admin` accepted
 * by the server for signed requests.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { MIGRATIONS } from "../src/store/shared/migrations/index.js";
import {
  type IssuedJson,
  type RunningCli,
  runCli,
  runJson,
  startCli,
  useCliDatabase,
} from "./support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { createRecordingClient } from "./support/error-record.js";

const ALL_MIGRATIONS = MIGRATIONS.map((m) => `${String(m.version).padStart(3, "0")}_${m.name}`);

/** The version column of schema_migrations, read straight from the database. */
async function appliedVersions(database: TestDatabase): Promise<number[]> {
  if (database.target.kind === "sqlite") {
    const db = new BetterSqlite3(database.target.path, { readonly: true });
    try {
      const rows = db.prepare("select version from schema_migrations order by version").all();
      return rows.map((r) => Number((r as { version: number }).version));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.target.url });
  await client.connect();
  try {
    const result = await client.query<{ version: number }>(
      "select version from schema_migrations order by version",
    );
    return result.rows.map((r) => Number(r.version));
  } finally {
    await client.end();
  }
}

/** "applied: 001_a, 002_b" → the names; "up to date" → []. */
function appliedNames(stdout: string): string[] {
  if (stdout === "up to date\n") return [];
  const match = /^applied: (.+)\n$/.exec(stdout);
  assert.ok(match, `unexpected migrate output: ${JSON.stringify(stdout)}`);
  return (match[1] as string).split(", ");
}

for (const kind of databaseKinds()) {
  describe(`vetted migrate [${kind}]`, () => {
    it("applies every migration and prints them; a second run is up to date", async () => {
      const database = await createTestDatabase(kind);
      try {
        const first = await runCli(["migrate", "--database", database.url]);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stderr, "");
        assert.deepEqual(appliedNames(first.stdout), ALL_MIGRATIONS);
        const second = await runCli(["migrate", "--database", database.url]);
        assert.equal(second.code, 0, second.stderr);
        assert.equal(second.stdout, "up to date\n");
        assert.deepEqual(
          await appliedVersions(database),
          MIGRATIONS.map((m) => m.version),
        );
      } finally {
        await database.drop();
      }
    });

    it("two processes migrating one fresh database at once both succeed, each migration applied once", async () => {
      const database = await createTestDatabase(kind);
      try {
        const [a, b] = await Promise.all([
          runCli(["migrate", "--database", database.url]),
          runCli(["migrate", "--database", database.url]),
        ]);
        assert.equal(a.code, 0, a.stderr);
        assert.equal(b.code, 0, b.stderr);
        const names = [...appliedNames(a.stdout), ...appliedNames(b.stdout)].sort();
        assert.deepEqual(names, ALL_MIGRATIONS, "between them, every migration exactly once");
        assert.deepEqual(
          await appliedVersions(database),
          MIGRATIONS.map((m) => m.version),
        );
      } finally {
        await database.drop();
      }
    });
  });

  describe(`vetted serve [${kind}]`, () => {
    const cli = useCliDatabase(kind);
    let server: RunningCli | undefined;

    before(async () => {
      const { database, dataDir, env } = cli();
      server = await startCli(
        ["serve", "--port", "0", "--database", database.url, "--data-dir", dataDir],
        env,
      );
    });
    after(async () => {
      await server?.stop("SIGKILL");
    });

    const running = () => {
      assert.ok(server, "server started");
      return server;
    };

    it("answers /healthz and /readyz", async () => {
      const health = await fetch(`${running().url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: "ok" });
      const ready = await fetch(`${running().url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: "ok" });
    });

    it("accepts signed requests with credentials made by `vetted admin`, and honours their options", async () => {
      const { operator, admin } = cli();
      const org = (await operator.createOrganization("Co")).id;
      const account = (await operator.createAccount({ organizationId: org, environment: "sandbox" })).id;
      const issue = (...extra: string[]) =>
        admin<IssuedJson>("credential", "create", "--org", org, "--env", "sandbox", ...extra);
      const imported = {
        api_key: "sb_ImportedForServe012345",
        secret_key: Buffer.alloc(33, 3).toString("base64"),
        auth_token: "Z".repeat(58),
      };
      const [strict, compat, readOnly] = await Promise.all([
        issue(),
        issue("--signature-policy", "compat"),
        issue("--read-only"),
        // The imported secrets travel on standard input, as an operator passes them.
        runJson(
          [
            ...["admin", "credential", "import", "--org", org, "--env", "sandbox"],
            ...["--api-key", imported.api_key],
            ...["--secret-key-file", "-", "--auth-token-file", "-", "--database", cli().database.url],
          ],
          cli().env,
          { input: `${imported.secret_key}\n${imported.auth_token}\n` },
        ),
      ]);
      const clientOf = (c: Pick<IssuedJson, "api_key" | "secret_key" | "auth_token">, compatible = false) =>
        createRecordingClient({
          baseUrl: running().url,
          apiKey: c.api_key,
          secretKey: c.secret_key,
          authToken: c.auth_token,
          signedElements: compatible ? ["API-Key"] : undefined,
        });
      const createRecord = (client: ReturnType<typeof clientOf>) =>
        client.call("subjectRecord.create", { account_id: account, subject_record: { type: "BUSINESS" } });

      const created = await createRecord(clientOf(strict));
      assert.ok(created.ok, JSON.stringify(created));
      assert.equal(created.data.subject_record.account_id, account);
      const stored = await cli().store.getSubjectRecord(created.data.subject_record.subject_record_id);
      assert.equal(stored?.account_id, account);

      const viaCompat = await createRecord(clientOf(compat, true));
      assert.ok(viaCompat.ok, JSON.stringify(viaCompat));
      const viaImport = await createRecord(clientOf(imported));
      assert.ok(viaImport.ok, JSON.stringify(viaImport));

      const refused = await createRecord(clientOf(readOnly));
      assert.ok(!refused.ok);
      assert.equal(refused.status, 403);
      assert.equal(refused.errors[0]?.code, "PERMISSION_DENIED");
      const read = await clientOf(readOnly).call("subjectRecord.get", {
        subject_record_id: created.data.subject_record.subject_record_id,
      });
      assert.ok(read.ok, JSON.stringify(read));

      await admin("credential", "revoke", "--api-key", strict.api_key);
      const revoked = await createRecord(clientOf(strict));
      assert.ok(!revoked.ok);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.errors[0]?.code, "AUTHENTICATION_FAILED");
    });

    it("on SIGTERM stops serving and exits 0", async () => {
      const exit = await running().stop("SIGTERM");
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.match(running().stdout(), /"msg":"stopped"/);
      await assert.rejects(fetch(`${running().url}/healthz`));
    });
  });
}
