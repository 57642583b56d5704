/**
 * The PostgreSQL floor again, with pgbench (C, so it leaves more of the 2 cores to the database
 * than a Node driver does) when it is on PATH: the same create transaction as separate statements
 * and as one CTE, half business applications and half provisioning, prepared statements, over TCP.
 * Latencies come from pgbench's per-transaction log.
 */
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EVENT_COLUMNS, SUBJECT_RECORD_COLUMNS, WORKFLOW_COLUMNS } from "./create-rows.js";
import type { PostgresFloorOptions, PostgresFloorVariant } from "./floor-postgres.js";
import { type FloorResult, floorResult } from "./floor-result.js";
import { startCpuSpan } from "./stats.js";

export function pgbenchAvailable(): boolean {
  return spawnSync("pgbench", ["--version"], { stdio: "ignore" }).status === 0;
}

// ISO 8601 without a colon in the SQL text: pgbench would read ":MI" in a to_char format as a variable.
const NOW = `(to_json(clock_timestamp() at time zone 'UTC') #>> '{}')`;
// Every variable is a bind parameter under -M prepared; the casts give each one its type.
const SUFFIX = `:tag::text || :client_id::text || 'x' || :r::text`;

function script(variant: PostgresFloorVariant, application: boolean): string {
  const type = application ? "'BUSINESS_APPLICATION'" : "'ACCOUNT_PROVISIONING'";
  const email = application ? `'Pgbench.' || ${SUFFIX} || '@Bench.Example.com'` : "null";
  const details = application
    ? `${email}, lower(${email}), 'Bench', 'Applicant', 'bench', lower(${email})`
    : "null, null, null, null, null, null";
  const header = "\\set r random(1, 999999999999999)\n";
  if (variant === "statements") {
    return `${header}begin;
select id, allow_multiple_applications_per_email from accounts where id = :account::text;
insert into subject_records (${SUBJECT_RECORD_COLUMNS}) values ('sr_pgb' || ${SUFFIX}, :account::text, 'BUSINESS', ${NOW}, ${NOW});
insert into workflows (${WORKFLOW_COLUMNS}) values ('w_pgb' || ${SUFFIX}, :account::text, 'sr_pgb' || ${SUFFIX}, ${type}, 'STARTED', ${details}, ${NOW}, ${NOW}, ${NOW});
insert into events (${EVENT_COLUMNS}) values ('wh_pgb' || ${SUFFIX}, 'WORKFLOW_STARTED', :account::text, 'sr_pgb' || ${SUFFIX}, 'w_pgb' || ${SUFFIX}, ${type}, 'API_KEY', 'bench', ${NOW});
commit;
`;
  }
  // pgbench reads one statement per line unless it ends with a semicolon, so the CTE is one line.
  return `${header}with account as (select id from accounts where id = :account::text), subject_record as (insert into subject_records (${SUBJECT_RECORD_COLUMNS}) select 'sr_pgb' || ${SUFFIX}, account.id, 'BUSINESS', ${NOW}, ${NOW} from account returning id, account_id), workflow as (insert into workflows (${WORKFLOW_COLUMNS}) select 'w_pgb' || ${SUFFIX}, subject_record.account_id, subject_record.id, ${type}, 'STARTED', ${details}, ${NOW}, ${NOW}, ${NOW} from subject_record returning id, account_id, subject_record_id, type) insert into events (${EVENT_COLUMNS}) select 'wh_pgb' || ${SUFFIX}, 'WORKFLOW_STARTED', workflow.account_id, workflow.subject_record_id, workflow.id, workflow.type, 'API_KEY', 'bench', ${NOW} from workflow;
`;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("pgbench", args, { encoding: "utf8", maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Per-transaction latencies (ms) from the `--log` files: `client xact time_us script epoch us`. */
function readLatencies(dir: string): number[] {
  const latencies: number[] = [];
  for (const file of fs.readdirSync(dir)) {
    if (!file.startsWith("pgbench_log")) continue;
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      const fields = line.split(" ");
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  return latencies;
}

export async function runPgbenchFloor(options: PostgresFloorOptions): Promise<FloorResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vetted-pgbench-"));
  try {
    const ba = path.join(dir, "business-application.sql");
    const ap = path.join(dir, "account-provisioning.sql");
    fs.writeFileSync(ba, script(options.variant, true));
    fs.writeFileSync(ap, script(options.variant, false));
    const url = new URL(options.url);
    const args = [
      "--no-vacuum",
      "--protocol=prepared",
      `--client=${options.clients}`,
      `--jobs=${Math.min(options.clients, 2)}`,
      `--time=${Math.max(1, Math.round(options.durationS))}`,
      `--define=account=${options.accountId}`,
      `--define=tag=${randomBytes(3).toString("hex")}`,
      `--file=${ba}@1`,
      `--file=${ap}@1`,
      "--log",
      `--log-prefix=${path.join(dir, "pgbench_log")}`,
      // A Unix-socket URL names its directory in ?host= (as pg reads it); pgbench takes it as --host.
      `--host=${url.searchParams.get("host") ?? url.hostname}`,
      `--port=${url.port || "5432"}`,
      `--username=${decodeURIComponent(url.username) || "postgres"}`,
      url.pathname.slice(1),
    ];
    // pgbench is a child process: its own CPU is not this process's, but the machine's share shows.
    const endSpan = startCpuSpan();
    const result = await run(args);
    const cpu = endSpan();
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(result.stdout);
    const failed = /number of failed transactions: (\d+)/.exec(result.stdout);
    const duration = /duration: (\d+) s/.exec(result.stdout);
    const errors = (failed ? Number(failed[1]) : 0) + (result.code === 0 ? 0 : 1);
    return floorResult({
      database: "postgres",
      variant: `pgbench ${options.variant}`,
      clients: options.clients,
      elapsedS: duration ? Number(duration[1]) : options.durationS,
      latenciesMs: readLatencies(dir),
      errors,
      firstError: errors > 0 || !tps ? (result.stderr.trim().split("\n")[0] ?? "pgbench failed") : null,
      cpu,
      tps: tps ? Number(tps[1]) : 0,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
