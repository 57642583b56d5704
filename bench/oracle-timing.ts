/**
 * Timing oracles, measured: does the time of an answer tell what the answer itself hides?
 *
 *   1. workflow.get with another organization's workflow ID vs a random workflow ID;
 *   2. workflow.create with a wrong auth token on a recently used API key vs an unknown API key.
 *
 * Each is measured in interleaved pairs (the order inside a pair alternates), one request at a
 * time against the real server in this process on a throwaway database, and reported as the two
 * medians and the median of the per-pair differences. Not part of `npm run bench`, and never an
 * assertion: the tests prove the same work structurally (test/visibility-same-work.test.ts,
 * test/credential-folded.test.ts); this shows what that is worth in milliseconds.
 *
 *   node --import tsx bench/oracle-timing.ts [postgres-admin-url | sqlite] [pairs]
 *
 * The default is PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres and 150 pairs.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { pino } from "pino";
import { createOperator, type IssuedCredential } from "../src/admin/operator.js";
import { signRequest } from "../src/auth/ksig1.js";
import { createSecretBox } from "../src/auth/secret-box.js";
import type { DatabaseTarget } from "../src/config.js";
import { systemClock } from "../src/domain/clock.js";
import { newId } from "../src/domain/ids.js";
import { buildApp } from "../src/http/app.js";
import { deriveCursorKey } from "../src/methods/pagination.js";
import { openStore } from "../src/store/open.js";

const where = process.argv[2] ?? "postgres://postgres@127.0.0.1:5432/postgres";
const pairs = Number(process.argv[3] ?? 150);

async function throwawayDatabase(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (where === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vetted-oracle-"));
    return {
      target: { kind: "sqlite", path: path.join(dir, "vetted.db") },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `vetted_bench_oracle_${randomBytes(6).toString("hex")}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: where });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(where);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    drop: () => admin(`drop database ${name} with (force)`),
  };
}

type Credential = Pick<IssuedCredential, "api_key" | "secret_key" | "auth_token">;

/** Milliseconds for one signed call, from sending to the whole body read. */
async function timedCall(baseUrl: string, credential: Credential, method: string, body: unknown) {
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = {
    "content-type": "application/json",
    ...signRequest(
      { apiKey: credential.api_key, secretKey: credential.secret_key, authToken: credential.auth_token },
      { target: `/${method}`, body: bytes },
    ),
  };
  const started = process.hrtime.bigint();
  const response = await fetch(`${baseUrl}/${method}`, { method: "POST", headers, body: bytes });
  await response.arrayBuffer();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.status };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Interleaved pairs of `a` and `b`; both must answer the same status every time. */
async function comparePairs(
  label: string,
  a: () => ReturnType<typeof timedCall>,
  b: () => ReturnType<typeof timedCall>,
) {
  for (let i = 0; i < 20; i++) {
    await a();
    await b();
  }
  const times = { a: [] as number[], b: [] as number[], diff: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
    const one = await first();
    const two = await second();
    const [ra, rb] = i % 2 === 0 ? [one, two] : [two, one];
    if (ra.status !== rb.status) throw new Error(`${label}: statuses differ (${ra.status} vs ${rb.status})`);
    times.a.push(ra.ms);
    times.b.push(rb.ms);
    times.diff.push(ra.ms - rb.ms);
  }
  console.log(
    `${label}: median ${median(times.a).toFixed(3)} ms vs ${median(times.b).toFixed(3)} ms; ` +
      `median paired difference ${median(times.diff).toFixed(3)} ms (${pairs} pairs)`,
  );
}

async function main() {
  const database = await throwawayDatabase();
  const store = openStore(database.target, { poolSize: 4 });
  try {
    await store.migrate();
    const secretBox = createSecretBox(randomBytes(32));
    const app = await buildApp({
      config: { bodyLimit: 1_048_576, maxClockSkewSeconds: 300, metrics: false },
      store,
      logger: pino({ level: "silent" }),
      clock: systemClock,
      secretBox,
      cursorKey: deriveCursorKey(secretBox),
    });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const operator = createOperator({ store, secretBox, clock: systemClock });
    const party = async () => {
      const organization = await operator.createOrganization("Oracle bench");
      const account = await operator.createAccount({
        organizationId: organization.id,
        environment: "sandbox",
      });
      const credential = await operator.createCredential({
        organizationId: organization.id,
        environment: "sandbox",
      });
      return { account, credential };
    };
    const owner = await party();
    const caller = await party();
    const created = await timedCall(url, owner.credential, "workflow.create", {
      account_id: owner.account.id,
      workflow: { type: "ACCOUNT_PROVISIONING" },
    });
    if (created.status !== 200) throw new Error(`setup create answered ${created.status}`);
    const [foreignWorkflow] = (
      await store.listWorkflows(
        (
          await store.listSubjectRecords(owner.account.id, { limit: 1 })
        ).items[0]?.id as string,
        { limit: 1 },
      )
    ).items;

    console.log(`Timing oracles on ${database.target.kind}:`);
    await comparePairs(
      "workflow.get, another organization's ID vs a random ID",
      () => timedCall(url, caller.credential, "workflow.get", { workflow_id: foreignWorkflow?.id }),
      () => timedCall(url, caller.credential, "workflow.get", { workflow_id: newId("workflow") }),
    );

    const createBody = { account_id: caller.account.id, workflow: { type: "ACCOUNT_PROVISIONING" } };
    // A successful create makes the server remember the caller's credential.
    await timedCall(url, caller.credential, "workflow.create", createBody);
    const wrongToken = `${caller.credential.auth_token.slice(0, -1)}${caller.credential.auth_token.endsWith("A") ? "B" : "A"}`;
    const unknownKey = { ...caller.credential, api_key: `${caller.credential.api_key.slice(0, -4)}zzzz` };
    await comparePairs(
      "workflow.create with a wrong token, remembered key vs unknown key",
      () => timedCall(url, { ...caller.credential, auth_token: wrongToken }, "workflow.create", createBody),
      () => timedCall(url, { ...unknownKey, auth_token: wrongToken }, "workflow.create", createBody),
    );
    await app.close();
  } finally {
    await store.close();
    await database.drop();
  }
}

await main();
