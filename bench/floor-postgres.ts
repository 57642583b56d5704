/**
 * The PostgreSQL floor: the create transaction run straight through `pg`, no HTTP, no server.
 * N pooled connections each loop over creates for a fixed time. Two shapes:
 * - `statements`: BEGIN; account check; insert subject record; insert workflow (both rule
 *   indexes checked); insert event; COMMIT — six round trips, as a plain implementation does;
 * - `cte`: the same four steps as one statement (data-modifying CTEs), one round trip.
 * Statements are prepared (named) and commits are synchronous (the server's durability).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  createRows,
  EVENT_COLUMNS,
  eventValues,
  insertStatements,
  SUBJECT_RECORD_COLUMNS,
  subjectRecordValues,
  WORKFLOW_COLUMNS,
  workflowValues,
} from "./create-rows.js";
import { type FloorResult, floorResult } from "./floor-result.js";
import { startCpuSpan } from "./stats.js";

export type PostgresFloorVariant = "statements" | "cte";

const ACCOUNT_CHECK = "select id, allow_multiple_applications_per_email from accounts where id = $1";
const INSERTS = insertStatements("postgres");

/**
 * One statement. The subject record and workflow rows come from the account row, so an unknown
 * account inserts nothing; the FK from workflows to the new subject record is checked at the end
 * of the statement, when the subject record exists.
 */
const CREATE_CTE = `
with account as (select id from accounts where id = $1::text),
subject_record as (
  insert into subject_records (${SUBJECT_RECORD_COLUMNS})
  select $2::text, account.id, 'BUSINESS', $3::text, $3::text from account
  returning id, account_id),
workflow as (
  insert into workflows (${WORKFLOW_COLUMNS})
  select $4::text, subject_record.account_id, subject_record.id, $5::text, 'STARTED', $6::text, $7::text,
         $8::text, $9::text, $10::text, $11::text, $3::text, $3::text, $3::text
  from subject_record
  returning id, account_id, subject_record_id, type)
insert into events (${EVENT_COLUMNS})
select $12::text, 'WORKFLOW_STARTED', workflow.account_id, workflow.subject_record_id, workflow.id,
       workflow.type, 'API_KEY', 'bench', $3::text
from workflow
returning id`;

async function createWithStatements(client: pg.PoolClient, accountId: string, sequence: number, tag: string) {
  const rows = createRows(sequence, tag);
  await client.query("begin");
  try {
    const account = await client.query({ name: "floor_account", text: ACCOUNT_CHECK, values: [accountId] });
    if (account.rowCount !== 1) throw new Error(`account ${accountId} not found`);
    await client.query({
      name: "floor_subject_record",
      text: INSERTS.subjectRecord,
      values: subjectRecordValues(rows, accountId),
    });
    await client.query({
      name: "floor_workflow",
      text: INSERTS.workflow,
      values: workflowValues(rows, accountId),
    });
    await client.query({ name: "floor_event", text: INSERTS.event, values: eventValues(rows, accountId) });
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}

async function createWithCte(client: pg.PoolClient, accountId: string, sequence: number, tag: string) {
  const rows = createRows(sequence, tag);
  const result = await client.query({
    name: "floor_cte",
    text: CREATE_CTE,
    values: [
      accountId,
      rows.subjectRecordId,
      rows.at,
      rows.workflowId,
      rows.type,
      rows.email,
      rows.emailLower,
      rows.firstName,
      rows.lastName,
      rows.referrer,
      rows.emailClaim,
      rows.eventId,
    ],
  });
  if (result.rowCount !== 1) throw new Error(`account ${accountId} not found`);
}

export interface PostgresFloorOptions {
  url: string;
  accountId: string;
  variant: PostgresFloorVariant;
  clients: number;
  durationS: number;
}

export async function runPostgresFloor(options: PostgresFloorOptions): Promise<FloorResult> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.clients });
  pool.on("error", () => undefined);
  const create = options.variant === "cte" ? createWithCte : createWithStatements;
  const tag = randomBytes(4).toString("hex");
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let sequence = 0;
  try {
    // Connect every client before the clock starts: the floor is about transactions, not logins.
    const clients = await Promise.all(Array.from({ length: options.clients }, () => pool.connect()));
    const endSpan = startCpuSpan();
    const started = performance.now();
    const deadline = started + options.durationS * 1000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          try {
            await create(client, options.accountId, sequence++, tag);
            latencies.push(performance.now() - t0);
          } catch (error) {
            errors++;
            firstError ??= error instanceof Error ? error.message : String(error);
          }
        }
        client.release();
      }),
    );
    return floorResult({
      database: "postgres",
      variant: `pg ${options.variant}`,
      clients: options.clients,
      elapsedS: (performance.now() - started) / 1000,
      latenciesMs: latencies,
      errors,
      firstError,
      cpu: endSpan(),
    });
  } finally {
    await pool.end();
  }
}
