// Onboards one merchant end to end with the demo credentials that `npm start` printed (and saved
// in data/demo-credentials.json): a business application, then its business, control-prong owner,
// primary bank account and sales info — printing what workflow.canComplete still lists after each
// step — and finally workflow.complete.
//   npx tsx examples/onboard-merchant.ts
import { readFileSync } from "node:fs";
import { createClient } from "@vetted/client";
import { onboardSampleMerchant } from "../src/cli/sample-merchant.js";

const demo = JSON.parse(readFileSync(process.env.VETTED_DEMO_FILE ?? "data/demo-credentials.json", "utf8"));
const client = createClient({
  baseUrl: process.env.VETTED_URL ?? "http://127.0.0.1:8080",
  apiKey: demo.api_key,
  secretKey: demo.secret_key,
  authToken: demo.auth_token,
});

const merchant = await onboardSampleMerchant(client, demo.account_id, async (step, { workflow_id }) => {
  const result = await client.call("workflow.canComplete", { workflow_id: workflow_id ?? "" });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const missing = result.data.missing_requirements ?? [];
  console.log(
    `${step.padEnd(26)} can_complete: ${result.data.can_complete}`,
    missing.map((m) => m.requirement),
  );
});

const completed = await client.call("workflow.complete", { workflow_id: merchant.workflow_id });
if (!completed.ok) throw new Error(JSON.stringify(completed.errors));
const after = await client.call("workflow.get", { workflow_id: merchant.workflow_id });
console.log("workflow.complete          state:", after.ok ? after.data.workflow.state : after.errors);
