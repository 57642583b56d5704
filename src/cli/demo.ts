/**
 * `vetted demo`: on a new database, create an organization, a sandbox account and a strict
 * credential; print them and save them (mode 0600) so the next start prints the same ones. The
 * first start also onboards a sample merchant through the API, ready to complete, and makes an
 * ACTIVE webhook key, so `vetted listen` works at once and a local receiver can decrypt.
 */
import fs from "node:fs";
import path from "node:path";
import { createClient } from "@vetted/client";
import { createOperator } from "../admin/operator.js";
import { openMasterKeyring } from "../auth/master-keyring.js";
import type { Config } from "../config.js";
import { systemClock } from "../domain/clock.js";
import { assertPrivateDataDir, makePrivateDir } from "../private-files.js";
import { serveUntilSignalled } from "../server.js";
import { openStore } from "../store/open.js";
import { onboardSampleMerchant } from "./sample-merchant.js";

export interface DemoCredentials {
  organization_id: string;
  account_id: string;
  api_key: string;
  secret_key: string;
  auth_token: string;
  signature_policy: string;
  /** The sample merchant's business application, once the first start has onboarded it. */
  sample_workflow_id?: string;
  /** The demo account's ACTIVE webhook key and its shared secret (Base64), for local receivers. */
  webhook_key_id?: string;
  webhook_secret?: string;
}

function demoFile(config: Config): string {
  return path.join(config.dataDir, "demo-credentials.json");
}

function saveDemo(config: Config, demo: DemoCredentials): void {
  makePrivateDir(config.dataDir);
  fs.writeFileSync(demoFile(config), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
}

async function ensureDemoCredentials(config: Config): Promise<DemoCredentials> {
  const file = demoFile(config);
  assertPrivateDataDir(config);
  const store = openStore(config.database);
  try {
    await store.migrate();
    const secretBox = await openMasterKeyring(config, store);
    if (fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as DemoCredentials;
      const credential = await store.getCredential(saved.api_key);
      if (credential && credential.revoked_at === null) return saved;
    }
    const operator = createOperator({
      store,
      secretBox,
      clock: systemClock,
    });
    const organization = await operator.createOrganization("Demo organization");
    const account = await operator.createAccount({
      organizationId: organization.id,
      environment: "sandbox",
      name: "Demo sandbox account",
    });
    const issued = await operator.createCredential({
      organizationId: organization.id,
      environment: "sandbox",
      name: "demo",
    });
    const demo: DemoCredentials = {
      organization_id: organization.id,
      account_id: account.id,
      api_key: issued.api_key,
      secret_key: issued.secret_key,
      auth_token: issued.auth_token,
      signature_policy: issued.signature_policy,
    };
    saveDemo(config, demo);
    return demo;
  } finally {
    await store.close();
  }
}

/**
 * The sample merchant, onboarded once per demo account through the running server's API (so it
 * is exactly what a client would make). A failure is reported, not fatal: the server still serves.
 */
async function ensureSampleMerchant(config: Config, demo: DemoCredentials, url: string): Promise<void> {
  if (demo.sample_workflow_id) return;
  const client = demoClient(demo, url);
  try {
    const merchant = await onboardSampleMerchant(client, demo.account_id);
    demo.sample_workflow_id = merchant.workflow_id;
    saveDemo(config, demo);
  } catch (error) {
    process.stderr.write(`The sample merchant could not be onboarded: ${(error as Error).message}\n`);
  }
}

/**
 * An ACTIVE webhook key for the demo account, made once through the API; its secret is returned
 * only then, so it is kept with the credentials. A failure is reported, not fatal.
 */
async function ensureWebhookKey(config: Config, demo: DemoCredentials, url: string): Promise<void> {
  if (demo.webhook_key_id) return;
  const client = demoClient(demo, url);
  try {
    const created = await client.call("webhook.key.create", { account_id: demo.account_id });
    if (!created.ok) throw new Error(created.errors[0]?.message ?? `HTTP ${created.status}`);
    const activated = await client.call("webhook.key.activate", {
      key_id: created.data.key_id,
      account_id: demo.account_id,
    });
    if (!activated.ok) throw new Error(activated.errors[0]?.message ?? `HTTP ${activated.status}`);
    demo.webhook_key_id = created.data.key_id;
    demo.webhook_secret = created.data.shared_secret;
    saveDemo(config, demo);
  } catch (error) {
    process.stderr.write(`The demo webhook key could not be made: ${(error as Error).message}\n`);
  }
}

function demoClient(demo: DemoCredentials, url: string) {
  return createClient({
    baseUrl: url,
    apiKey: demo.api_key,
    secretKey: demo.secret_key,
    authToken: demo.auth_token,
  });
}

export async function runDemo(config: Config): Promise<void> {
  const demo = await ensureDemoCredentials(config);
  // The docs page offers these to a browser on this machine only (http/docs-page/demo-offer.ts).
  const server = await serveUntilSignalled(config, {
    docs: {
      demoCredentials: {
        apiKey: demo.api_key,
        secretKey: demo.secret_key,
        authToken: demo.auth_token,
        accountId: demo.account_id,
      },
    },
  });
  await ensureSampleMerchant(config, demo, server.url);
  await ensureWebhookKey(config, demo, server.url);
  const file = demoFile(config);
  // To stderr: stdout carries only the JSON log lines, so a log collector can parse every line.
  process.stderr.write(
    [
      "",
      `Vetted demo is serving at ${server.url}`,
      `  account_id   ${demo.account_id}`,
      `  api_key      ${demo.api_key}`,
      `  secret_key   ${demo.secret_key}`,
      `  auth_token   ${demo.auth_token}`,
      `  policy       ${demo.signature_policy} (sign API-Key;HTTP-Verb;URL-Path;Timestamp;Nonce;Content-SHA256)`,
      ...(demo.sample_workflow_id
        ? [
            `  sample       ${demo.sample_workflow_id} (a merchant's business application, ready for workflow.complete)`,
          ]
        : []),
      ...(demo.webhook_key_id
        ? [
            `  webhook key  ${demo.webhook_key_id} (ACTIVE; its secret is in the file below)`,
            `Events: npx vetted listen --account ${demo.account_id} --credentials-file ${file} --url ${server.url} --forward-to http://localhost:4000/webhooks`,
          ]
        : []),
      `Docs: ${server.url}/docs ("Try it out" signs in the browser; "Use the demo credentials" fills these in)`,
      `Saved in ${file}. Try: curl -s -X POST ${server.url}/meta.checkVersion`,
      "",
    ].join("\n"),
  );
}
