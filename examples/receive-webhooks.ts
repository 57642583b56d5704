// Receives webhooks from the demo server (`npm start`): listens on 127.0.0.1, registers itself as
// an endpoint of the demo account, creates a workflow, and prints the delivery it gets, opened
// with the demo's webhook secret. Removes its endpoint on the way out.
//   npx tsx examples/receive-webhooks.ts
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, openWebhook, WebhookError } from "@vetted/client";

const demo = JSON.parse(readFileSync(process.env.VETTED_DEMO_FILE ?? "data/demo-credentials.json", "utf8"));
const client = createClient({
  baseUrl: process.env.VETTED_URL ?? "http://127.0.0.1:8080",
  apiKey: demo.api_key,
  secretKey: demo.secret_key,
  authToken: demo.auth_token,
});
// The secret webhook.key.create returned, by the key ID every envelope names.
const secrets = { [demo.webhook_key_id]: demo.webhook_secret };

let expectedWorkflow = "";
let done: () => void = () => {};
const received = new Promise<void>((resolve) => {
  done = resolve;
});

const receiver = http.createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const envelope = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const payload = await openWebhook(envelope, secrets);
    // Answer 2xx quickly; de-duplicate on envelope.id (the same on every retry).
    response.writeHead(204).end();
    console.log(`${envelope.event_type} ${envelope.id} (retry ${envelope.retry_count})`);
    console.log(JSON.stringify(payload, null, 2));
    if (payload.workflow_id === expectedWorkflow) done();
  } catch (error) {
    // Not from Vetted, altered on the way, or a key we do not hold: refuse it.
    response.writeHead(400).end();
    console.error(error instanceof WebhookError ? `refused: ${error.reason}` : error);
  }
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;

const endpoint = await client.call("webhook.config.create", {
  account_id: demo.account_id,
  config: { url },
});
if (!endpoint.ok) throw new Error(JSON.stringify(endpoint.errors));
console.log("endpoint:", endpoint.data.config_id, url);
try {
  const created = await client.call("workflow.create", {
    account_id: demo.account_id,
    workflow: { type: "ACCOUNT_PROVISIONING" },
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  expectedWorkflow = created.data.workflow.workflow_id;
  console.log("workflow:", expectedWorkflow, "- waiting for its webhook…");
  await received;
} finally {
  await client.call("webhook.config.delete", {
    account_id: demo.account_id,
    config_id: endpoint.data.config_id,
  });
  receiver.close();
}
