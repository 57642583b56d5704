/**
 * `vetted listen` and `vetted trigger` against a real server. listen, as a real process behind a
 * proxy the test can cut: forwards each envelope unchanged (the receiver opens it with
 * openWebhook), prints one line per event, and after a dropped connection resumes with
 * Last-Event-ID — every event once. trigger: each supported type's recipe makes its event (run
 * in-process, since a CLI start costs seconds); the command itself once, plus its refusals.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { after, describe, it } from "node:test";
import { openWebhook, type WebhookEnvelope } from "@vetted/client";
import { SUPPORTED_TRIGGERS, trigger } from "../src/cli/trigger.js";
import { defaultAccountDataSettings } from "../src/domain/account-settings.js";
import { cleanEnv, runCli } from "./support/cli.js";
import { cliArguments, cliEnvironment, REPO_ROOT } from "./support/cli-process.js";
import { databaseKinds } from "./support/databases.js";
import type { Fixture } from "./support/server.js";
import { useTestServer } from "./support/server.js";
import { addWebhookKey } from "./support/webhook-rows.js";
import { createProvisioning } from "./support/workflows.js";

const WAIT_MS = 30_000;

/** Resolves when `check` holds, polling; fails after a generous bound (not a timing assertion). */
async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function credentialEnv(fixture: Fixture): NodeJS.ProcessEnv {
  return cleanEnv({
    VETTED_API_KEY: fixture.credential.api_key,
    VETTED_SECRET_KEY: fixture.credential.secret_key,
    VETTED_AUTH_TOKEN: fixture.credential.auth_token,
  });
}

/** A local receiver that keeps every body it is sent and answers 202. */
async function startReceiver() {
  const bodies: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      assert.equal(request.headers["content-type"], "application/json");
      bodies.push(Buffer.concat(chunks).toString("utf8"));
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => server.close() };
}

/** A TCP proxy to `target` whose open connections `drop()` cuts. */
async function startProxy(target: string) {
  const { hostname, port } = new URL(target);
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    drop: () => {
      for (const socket of open) socket.destroy();
    },
    close: () => {
      for (const socket of open) socket.destroy();
      server.close();
    },
  };
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, cliArguments(args), {
    cwd: REPO_ROOT,
    env: cliEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stderr += chunk;
  });
  return { child, output };
}

for (const kind of databaseKinds()) {
  describe(`vetted listen and trigger [${kind}]`, () => {
    const server = useTestServer(kind, { config: { eventStream: { pollIntervalMs: 20 } } });
    const cleanups: (() => void)[] = [];
    after(() => {
      for (const cleanup of cleanups) cleanup();
    });

    it("listen forwards each envelope unchanged, prints its line, and resumes after a drop", async () => {
      const fixture = await server().fixture();
      const key = await addWebhookKey(server().database, fixture.account.id);
      const receiver = await startReceiver();
      const proxy = await startProxy(server().url);
      const { child, output } = spawnCli(
        ["listen", "--account", fixture.account.id, "--forward-to", receiver.url, "--url", proxy.url],
        credentialEnv(fixture),
      );
      cleanups.push(receiver.close, proxy.close, () => child.kill("SIGKILL"));
      await until("listen to connect", () => (/listening to/.test(output.stderr) ? true : undefined));

      const first = await createProvisioning(fixture.client, fixture.account.id);
      await until("the first envelope", () => receiver.bodies[0]);
      proxy.drop();
      const second = await createProvisioning(fixture.client, fixture.account.id);
      const third = await createProvisioning(fixture.client, fixture.account.id);
      await until("three envelopes", () => (receiver.bodies.length >= 3 ? true : undefined));
      await until("listen to reconnect", () =>
        /reconnected after wh_/.test(output.stderr) ? true : undefined,
      );

      const events = await server().store.listEvents({ accountId: fixture.account.id });
      const envelopes = receiver.bodies.map((body) => JSON.parse(body) as WebhookEnvelope);
      assert.deepEqual(
        envelopes.map((envelope) => envelope.id),
        events.map((event) => event.id),
      );
      const payloads = await Promise.all(
        envelopes.map((envelope) => openWebhook(envelope, { [key.keyId]: key.secret })),
      );
      assert.deepEqual(
        payloads.map((payload) => payload.workflow_id),
        [first, second, third].map((workflow) => workflow.workflow_id),
      );
      await until("three printed lines", () => (output.stdout.split("\n").length > 3 ? true : undefined));
      const lines = output.stdout.trimEnd().split("\n");
      assert.deepEqual(
        lines.map((line) => line.split(/\s+/).slice(1)),
        events.map((event) => [event.event_type, event.id, "202"]),
      );
      assert.match(lines[0] ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z {2}/);
      child.kill("SIGTERM");
    });

    it("trigger's recipe for each supported event type writes that event", async () => {
      const { client, account } = await server().fixture({
        dataSettings: { completion_requirements: defaultAccountDataSettings().completion_requirements },
      });
      for (const eventType of SUPPORTED_TRIGGERS) {
        const before = (await server().store.listEvents({ accountId: account.id })).length;
        await trigger(client, account.id, eventType);
        const written = (await server().store.listEvents({ accountId: account.id })).slice(before);
        // Its event is written last, but for completion's SYSTEM-started underwriting workflow.
        const types: string[] = written.map((event) => event.event_type);
        assert.ok(types.includes(eventType), `${eventType}: ${types}`);
      }
    });

    it("vetted trigger makes the event; refuses a live account and an unknown type (exit 2)", async () => {
      const fixture = await server().fixture();
      const env = credentialEnv(fixture);
      const made = await runCli(
        ["trigger", "BUSINESS_CREATED", "--account", fixture.account.id, "--url", server().url],
        env,
      );
      assert.equal(made.code, 0, made.stderr);
      assert.equal(
        made.stdout,
        `BUSINESS_CREATED triggered in ${fixture.account.id}: subjectRecord.create, business.create\n`,
      );
      const events = await server().store.listEvents({ accountId: fixture.account.id });
      assert.deepEqual(
        events.map((event) => event.event_type),
        ["BUSINESS_CREATED"],
      );

      const live = await runCli(
        ["trigger", "BUSINESS_CREATED", "--account", "lv_4K8mPxR9N2jL7hS5TdWfY1", "--url", server().url],
        env,
      );
      assert.equal(live.code, 2);
      assert.equal(live.stdout, "");
      assert.match(
        live.stderr,
        /^vetted: trigger writes test data and works on sandbox accounts only; lv_\w+ is live\n$/,
      );

      const unknown = await runCli(["trigger", "PAYMENT_MADE", "--account", fixture.account.id], env);
      assert.equal(unknown.code, 2);
      assert.match(
        unknown.stderr,
        /^vetted: unsupported event type "PAYMENT_MADE"; supported: WORKFLOW_CREATED, .*BANK_ACCOUNT_CREATED/,
      );
    });
  });
}
