/**
 * `vetted demo` as a real process on a fresh data directory: it prints working credentials, keeps
 * them (and the master key it generated) in owner-only files, and reuses them on the next start.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { DemoCredentials } from "../src/cli/demo.js";
import { cleanEnv, startCli } from "./support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase, tempDir } from "./support/databases.js";
import { createRecordingClient } from "./support/error-record.js";

/** The value printed after a label in the demo banner ("  api_key      sb_…"). */
function printed(stdout: string, label: string): string {
  const value = new RegExp(`^ {2}${label} +(\\S+)(?: .*)?$`, "m").exec(stdout)?.[1];
  assert.ok(value, `the banner shows ${label}:\n${stdout}`);
  return value;
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Runs an example script as a reader would (`npx tsx examples/…`); its stdout. */
async function runExample(script: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], {
    env: { ...cleanEnv(), ...env },
    timeout: 60_000,
  });
  return stdout;
}

for (const kind of databaseKinds()) {
  describe(`vetted demo [${kind}]`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let first: DemoCredentials | undefined;

    before(async () => {
      database = await createTestDatabase(kind);
      dataDir = tempDir("vetted-cli-demo-");
    });
    after(async () => {
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    // SQLite runs on the default database inside the data directory, as `npm start` does.
    const args = () => [
      "demo",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      ...(kind === "postgres" ? ["--database", database.url] : []),
    ];
    // No VETTED_MASTER_KEY: the demo must generate its own key file.
    const env = () => cleanEnv();

    it("on a fresh data dir prints credentials that work, saved in 0600 files", async () => {
      const demo = await startCli(args(), env());
      try {
        const banner = await demo.waitForStderr(/^Saved in .*$/m);
        const file = path.join(dataDir, "demo-credentials.json");
        assert.ok(banner.includes(`Saved in ${file}.`), banner);
        assert.equal(modeOf(file), 0o600, "demo credentials are readable by the owner only");
        assert.equal(modeOf(path.join(dataDir, "master.key")), 0o600, "so is the generated master key");
        if (kind === "sqlite") assert.ok(fs.existsSync(path.join(dataDir, "vetted.db")));

        const saved = JSON.parse(fs.readFileSync(file, "utf8")) as DemoCredentials;
        assert.deepEqual(
          {
            account_id: printed(banner, "account_id"),
            api_key: printed(banner, "api_key"),
            secret_key: printed(banner, "secret_key"),
            auth_token: printed(banner, "auth_token"),
          },
          {
            account_id: saved.account_id,
            api_key: saved.api_key,
            secret_key: saved.secret_key,
            auth_token: saved.auth_token,
          },
        );
        assert.match(saved.organization_id, /^org_/);
        assert.match(saved.account_id, /^sb_/);
        assert.match(saved.api_key, /^sb_[0-9A-Za-z]{22}$/);
        assert.equal(saved.signature_policy, "strict");
        assert.match(banner, new RegExp(`Vetted demo is serving at ${demo.url}`));

        const client = createRecordingClient({
          baseUrl: demo.url,
          apiKey: printed(banner, "api_key"),
          secretKey: printed(banner, "secret_key"),
          authToken: printed(banner, "auth_token"),
        });
        const created = await client.call("subjectRecord.create", {
          account_id: printed(banner, "account_id"),
          subject_record: { type: "BUSINESS" },
        });
        assert.ok(created.ok, JSON.stringify(created));
        assert.equal(created.data.subject_record.account_id, saved.account_id);

        // The docs page on this machine is offered the same credential (http/docs-page/demo-offer.ts).
        const offered = await fetch(`${demo.url}/docs/demo-credentials`);
        assert.equal(offered.status, 200);
        assert.deepEqual(await offered.json(), {
          apiKey: saved.api_key,
          secretKey: saved.secret_key,
          authToken: saved.auth_token,
          accountId: saved.account_id,
        });

        // The sample merchant: onboarded through the API, every default requirement met.
        const sample = printed(banner, "sample");
        assert.equal(sample, saved.sample_workflow_id);
        const canComplete = await client.call("workflow.canComplete", { workflow_id: sample });
        assert.deepEqual(canComplete.ok && canComplete.data, { can_complete: true });
        const workflow = await client.call("workflow.get", { workflow_id: sample });
        assert.ok(workflow.ok, JSON.stringify(workflow));
        const record = await client.call("subjectRecord.get", {
          subject_record_id: workflow.data.workflow.subject_record_id,
          verbose: true,
        });
        assert.ok(record.ok, JSON.stringify(record));
        assert.equal(record.data.subject_record.business?.legal_name, "Park Street Coffee LLC");

        // An ACTIVE webhook key, its secret kept with the credentials; a local http:// receiver
        // may be registered (the demo allows insecure local endpoints).
        assert.equal(printed(banner, "webhook key"), saved.webhook_key_id);
        assert.equal(Buffer.from(saved.webhook_secret ?? "", "base64").length, 32);
        const key = await client.call("webhook.key.get", {
          key_id: saved.webhook_key_id ?? "",
          account_id: saved.account_id,
        });
        assert.equal(key.ok && key.data.status, "ACTIVE");
        const endpoint = await client.call("webhook.config.create", {
          account_id: saved.account_id,
          config: { url: "http://localhost:4000/webhooks" },
        });
        assert.ok(endpoint.ok, JSON.stringify(endpoint));
        const removed = await client.call("webhook.config.delete", {
          account_id: saved.account_id,
          config_id: endpoint.data.config_id,
        });
        assert.ok(removed.ok, JSON.stringify(removed));
        // The banner went to stderr: stdout is the JSON log lines only, none of them a secret.
        const logLines = demo.stdout().trimEnd().split("\n");
        for (const line of logLines)
          assert.doesNotThrow(() => JSON.parse(line), `stdout line is JSON: ${line}`);
        assert.ok(!demo.stdout().includes(saved.secret_key) && !demo.stdout().includes(saved.auth_token));
        first = saved;
      } finally {
        assert.deepEqual(await demo.stop("SIGTERM"), { code: 0, signal: null });
      }
    });

    it("a second start reuses the same credentials", async () => {
      assert.ok(first, "the first start ran");
      const masterKey = fs.readFileSync(path.join(dataDir, "master.key"), "utf8");
      const demo = await startCli(args(), env());
      try {
        const banner = await demo.waitForStderr(/^Saved in /m);
        assert.equal(printed(banner, "api_key"), first.api_key);
        assert.equal(printed(banner, "secret_key"), first.secret_key);
        assert.equal(printed(banner, "auth_token"), first.auth_token);
        assert.equal(printed(banner, "account_id"), first.account_id);
        assert.equal(printed(banner, "sample"), first.sample_workflow_id, "no second sample merchant");
        assert.equal(printed(banner, "webhook key"), first.webhook_key_id, "no second webhook key");
        assert.equal(fs.readFileSync(path.join(dataDir, "master.key"), "utf8"), masterKey);

        const client = createRecordingClient({
          baseUrl: demo.url,
          apiKey: first.api_key,
          secretKey: first.secret_key,
          authToken: first.auth_token,
        });
        const listed = await client.call("subjectRecord.list", { account_id: first.account_id });
        assert.ok(listed.ok, JSON.stringify(listed));
        // The sample merchant's record and the one the first run made.
        assert.equal(listed.data.subject_records.length, 2, "the first run's records are still there");

        // The README's receiver example, as a reader runs it: its endpoint gets the workflow's
        // webhook, opened with the demo's secret; it removes its endpoint afterwards.
        const example = await runExample("examples/receive-webhooks.ts", {
          VETTED_DEMO_FILE: path.join(dataDir, "demo-credentials.json"),
          VETTED_URL: demo.url,
        });
        assert.match(example, /^WORKFLOW_STARTED wh_[0-9A-Za-z]+ \(retry 0\)$/m);
        assert.match(example, /"user_type": "API_KEY"/);
        const endpoints = await client.call("webhook.config.list", { account_id: first.account_id });
        assert.deepEqual(endpoints.ok && endpoints.data.configs, []);
      } finally {
        assert.deepEqual(await demo.stop("SIGTERM"), { code: 0, signal: null });
      }
    });
  });
}
