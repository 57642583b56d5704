/**
 * `vetted call` as a real process against a real server: the answer printed for people and for
 * scripts, exit 1 for an API error or an unreachable server, exit 2 for a usage error (with a
 * suggestion for a mistyped method), the body from --data, @file and standard input, and the
 * Idempotency-Key and X-API-Version options. Also `vetted --version`. Credentials come from the
 * environment here; profiles are tested in cli-login.test.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, it } from "node:test";
import { LATEST_VERSION } from "../src/domain/versions.js";
import {
  assertJsonFailure,
  assertOneLineFailure,
  type CliResult,
  cleanEnv,
  REPO_ROOT,
  runCli,
  threeAtATime,
} from "./support/cli.js";
import { databaseKinds, scratchDirs } from "./support/databases.js";
import type { Fixture } from "./support/server.js";
import { useTestServer } from "./support/server.js";

/** Temporary directories of this file, removed when it ends. */
const scratchDir = scratchDirs();

interface Envelope {
  meta: { status: string; trace_id: string; version: string };
  data?: Record<string, unknown>;
  errors?: { code: string; field?: string; message: string }[];
}

/** An environment that names only this fixture's credential, and a profiles file that does not exist. */
function credentialEnv(fixture: Fixture, url: string): NodeJS.ProcessEnv {
  return cleanEnv({
    VETTED_URL: url,
    VETTED_API_KEY: fixture.credential.api_key,
    VETTED_SECRET_KEY: fixture.credential.secret_key,
    VETTED_AUTH_TOKEN: fixture.credential.auth_token,
    VETTED_PROFILES_FILE: path.join(scratchDir("vetted-call-"), "none.json"),
  });
}

function workflowOf(envelope: Envelope) {
  return envelope.data?.workflow as { workflow_id: string; account_id: string } | undefined;
}

/** A loopback port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function oneJsonLine(result: CliResult): Envelope {
  assert.ok(result.stdout.endsWith("\n"));
  const lines = result.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line of JSON: ${result.stdout}`);
  return JSON.parse(lines[0] as string) as Envelope;
}

describe("vetted --version", () => {
  it("prints package.json's version, with --version and -V", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    const [long, short] = await Promise.all([runCli(["--version"]), runCli(["-V"])]);
    for (const result of [long, short]) {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${version}\n`);
      assert.equal(result.stderr, "");
    }
  });
});

for (const kind of databaseKinds()) {
  describe(`vetted call [${kind}]`, { concurrency: 3 }, () => {
    const server = useTestServer(kind);
    const workflowBody = (fixture: Fixture) =>
      JSON.stringify({ account_id: fixture.account.id, workflow: { type: "ACCOUNT_PROVISIONING" } });

    it("sends a method and prints its data pretty-printed; the write is stored", async () => {
      const fixture = await server().fixture();
      const result = await runCli(
        ["call", "workflow.create", "--data", workflowBody(fixture)],
        credentialEnv(fixture, server().url),
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
      const data = JSON.parse(result.stdout) as { workflow: { workflow_id: string; account_id: string } };
      assert.equal(result.stdout, `${JSON.stringify(data, null, 2)}\n`, "pretty-printed, data only");
      assert.equal(data.workflow.account_id, fixture.account.id);
      const stored = await fixture.client.call("workflow.get", { workflow_id: data.workflow.workflow_id });
      assert.ok(stored.ok, "the workflow the CLI created can be read back");
    });

    it("--json prints the whole envelope as one line, success and API error alike", async () => {
      const fixture = await server().fixture();
      const env = credentialEnv(fixture, server().url);
      const [success, failure] = await Promise.all([
        runCli(["call", "workflow.create", "--json", "--data", workflowBody(fixture)], env),
        runCli(["call", "workflow.get", "--json", "--data", '{"workflow_id":"bad"}'], env),
      ]);
      assert.equal(success.code, 0, success.stderr);
      assert.equal(success.stderr, "");
      const ok = oneJsonLine(success);
      assert.deepEqual(Object.keys(ok).sort(), ["data", "meta"]);
      assert.equal(ok.meta.status, "SUCCESS");
      assert.match(ok.meta.trace_id, /^trc_/);
      assert.equal(ok.meta.version, LATEST_VERSION);
      assert.ok(ok.data?.workflow);

      assert.equal(failure.code, 1, "an API error is exit 1");
      assert.equal(failure.stderr, "", "with --json the API's answer goes to stdout only");
      const error = oneJsonLine(failure);
      assert.deepEqual(Object.keys(error).sort(), ["errors", "meta"]);
      assert.equal(error.meta.status, "ERROR");
      assert.equal(error.errors?.[0]?.code, "BAD_REQUEST");
      assert.equal(error.errors?.[0]?.field, "workflow_id");
    });

    it("an API error is exit 1 with one line on stderr: code, field, message, status and trace ID", async () => {
      const fixture = await server().fixture();
      const result = await runCli(
        ["call", "workflow.get", "--data", '{"workflow_id":"bad"}'],
        credentialEnv(fixture, server().url),
      );
      assertOneLineFailure(
        result,
        1,
        /^vetted: BAD_REQUEST \(field workflow_id\): workflow_id .+ \[HTTP 400, trace_id trc_\w+\]\n$/,
      );
    });

    it("a credential the server refuses is an API error too (exit 1, the code on stderr)", async () => {
      const fixture = await server().fixture();
      const env = { ...credentialEnv(fixture, server().url), VETTED_AUTH_TOKEN: "not-the-token" };
      const result = await runCli(["call", "workflow.create", "--data", workflowBody(fixture)], env);
      assertOneLineFailure(result, 1, /^vetted: AUTHENTICATION_FAILED\b.*\[HTTP 401, trace_id trc_\w+\]\n$/);
    });

    it("takes the body from @file and from standard input", async () => {
      const fixture = await server().fixture();
      const env = credentialEnv(fixture, server().url);
      const file = path.join(scratchDir("vetted-call-data-"), "body.json");
      fs.writeFileSync(file, workflowBody(fixture));
      const [fromFile, fromStdin] = await Promise.all([
        runCli(["call", "workflow.create", "--json", "--data", `@${file}`], env),
        runCli(["call", "workflow.create", "--json", "--data", "-"], env, { input: workflowBody(fixture) }),
      ]);
      for (const result of [fromFile, fromStdin]) {
        assert.equal(result.code, 0, result.stderr);
        const envelope = oneJsonLine(result);
        assert.equal(workflowOf(envelope)?.account_id, fixture.account.id);
      }
    });

    it("--idempotency-key: the same key answers the first workflow again", async () => {
      const fixture = await server().fixture();
      const env = credentialEnv(fixture, server().url);
      const args = ["call", "workflow.create", "--json", "--idempotency-key", "cli-key-1", "--data"];
      const first = oneJsonLine(await runCli([...args, workflowBody(fixture)], env));
      const again = oneJsonLine(await runCli([...args, workflowBody(fixture)], env));
      assert.ok(workflowOf(first)?.workflow_id);
      assert.equal(workflowOf(again)?.workflow_id, workflowOf(first)?.workflow_id);
    });

    it("--api-version is sent: an unknown version is the server's error; meta.checkVersion needs no credential", async () => {
      const fixture = await server().fixture();
      const noCredential = cleanEnv({
        VETTED_URL: server().url,
        VETTED_PROFILES_FILE: path.join(scratchDir("vetted-call-"), "none.json"),
      });
      const [known, unknown] = await Promise.all([
        runCli(["call", "meta.checkVersion", "--json"], noCredential),
        runCli(
          [
            "call",
            "workflow.create",
            "--json",
            "--api-version",
            "1999-01-01",
            "--data",
            workflowBody(fixture),
          ],
          credentialEnv(fixture, server().url),
        ),
      ]);
      assert.equal(known.code, 0, known.stderr);
      assert.deepEqual(oneJsonLine(known).data, {
        current_version: LATEST_VERSION,
        latest_version: LATEST_VERSION,
      });
      assert.equal(unknown.code, 1, unknown.stderr);
      const refused = oneJsonLine(unknown);
      assert.equal(refused.meta.status, "ERROR");
      assert.match(JSON.stringify(refused.errors), /version/i);
    });

    it("usage errors are exit 2 with one line: unknown method, bad --data, no credential", async () => {
      const fixture = await server().fixture();
      const env = credentialEnv(fixture, server().url);
      const noCredential = cleanEnv({
        VETTED_URL: server().url,
        VETTED_PROFILES_FILE: path.join(scratchDir("vetted-call-"), "none.json"),
      });
      const [typo, unknown, badJson, notObject, missingFile, missingCredential] = await threeAtATime([
        () => runCli(["call", "workflow.craete"], env),
        () => runCli(["call", "nothing.like.it.at.all"], env),
        () => runCli(["call", "workflow.list", "--data", "{account_id:"], env),
        () => runCli(["call", "workflow.list", "--data", "[1]"], env),
        () => runCli(["call", "workflow.list", "--data", "@/nonexistent/body.json"], env),
        () => runCli(["call", "workflow.list"], noCredential),
      ]);
      assertOneLineFailure(typo, 2, /unknown method "workflow\.craete"; did you mean workflow\.create\?/);
      assertOneLineFailure(unknown, 2, /unknown method "nothing\.like\.it\.at\.all" \(/);
      assertOneLineFailure(badJson, 2, /^vetted: --data is not valid JSON/);
      assertOneLineFailure(notObject, 2, /--data must be a JSON object/);
      assertOneLineFailure(missingFile, 2, /--data @\/nonexistent\/body\.json: cannot read the file: ENOENT/);
      assertOneLineFailure(missingCredential, 2, /a credential is needed: API key .*vetted login/);
    });

    it("with --json, usage errors and an unreachable server are a JSON error on stderr", async () => {
      const fixture = await server().fixture();
      const env = credentialEnv(fixture, server().url);
      const unreachableUrl = `http://127.0.0.1:${await closedPort()}`;
      const [typo, unreachable] = await Promise.all([
        runCli(["call", "workflow.craete", "--json"], env),
        runCli(["call", "workflow.list", "--json", "--url", unreachableUrl, "--data", "{}"], env),
      ]);
      assertJsonFailure(typo, 2, "usage", /did you mean workflow\.create\?/);
      assertJsonFailure(
        unreachable,
        1,
        "unavailable",
        /cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
      );
    });
  });
}
