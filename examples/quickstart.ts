// Creates a subject record and a business application with the demo credentials that
// `npm start` printed (and saved in data/demo-credentials.json), then reads the application back.
//   npx tsx examples/quickstart.ts
import { readFileSync } from "node:fs";
import { createClient } from "@vetted/client";

const demo = JSON.parse(readFileSync(process.env.VETTED_DEMO_FILE ?? "data/demo-credentials.json", "utf8"));
const client = createClient({
  baseUrl: process.env.VETTED_URL ?? "http://127.0.0.1:8080",
  apiKey: demo.api_key,
  secretKey: demo.secret_key,
  authToken: demo.auth_token,
});

const record = await client.call("subjectRecord.create", {
  account_id: demo.account_id,
  subject_record: { type: "BUSINESS" },
});
if (!record.ok) throw new Error(JSON.stringify(record.errors));
console.log("subject record:", record.data.subject_record.subject_record_id);

const created = await client.call("workflow.create", {
  account_id: demo.account_id,
  workflow: {
    type: "BUSINESS_APPLICATION",
    subject_record_id: record.data.subject_record.subject_record_id,
    details: {
      business_application_details: {
        applying_user: { email: `ann+${Date.now()}@example.com`, first_name: "Ann" },
        referrer_value: "UAYACG123",
      },
    },
  },
});
if (!created.ok) throw new Error(JSON.stringify(created.errors));
console.log("workflow:", created.data.workflow.workflow_id, created.data.workflow.state);

const read = await client.call("workflow.get", { workflow_id: created.data.workflow.workflow_id });
console.log(JSON.stringify(read.ok ? read.data : read.errors, null, 2));
