/**
 * The rows one `workflow.create` writes — a new BUSINESS subject record, the workflow and its
 * WORKFLOW_STARTED event — shaped exactly as the server writes them (src/store/shared/rows.ts), for the
 * floor measurements and the preload. Half are business applications with a unique email claim
 * (the bench account refuses a second application per email), half account provisioning.
 */
import type BetterSqlite3 from "better-sqlite3";
import { newId } from "../src/domain/ids.js";
import { workflowKindOf } from "./requests.js";

export interface CreateRows {
  subjectRecordId: string;
  workflowId: string;
  eventId: string;
  type: string;
  email: string | null;
  emailLower: string | null;
  firstName: string | null;
  lastName: string | null;
  referrer: string | null;
  /** The unique-email index's claim: the lower-cased email for BA workflows of this account. */
  emailClaim: string | null;
  at: string;
}

/** The rows of create number `sequence`; `tag` and `label` keep emails unique across runs and uses. */
export function createRows(
  sequence: number,
  tag: string,
  options: { label?: string; at?: string } = {},
): CreateRows {
  const type = workflowKindOf(sequence);
  const isApplication = type === "BUSINESS_APPLICATION";
  const email = isApplication ? `${options.label ?? "Floor"}.${tag}.${sequence}@Bench.Example.com` : null;
  const at = options.at ?? new Date().toISOString();
  return {
    subjectRecordId: newId("subjectRecord"),
    workflowId: newId("workflow"),
    eventId: newId("event"),
    type,
    email,
    emailLower: email?.toLowerCase() ?? null,
    firstName: isApplication ? "Bench" : null,
    lastName: isApplication ? `Applicant ${sequence}` : null,
    referrer: isApplication ? "bench" : null,
    emailClaim: email?.toLowerCase() ?? null,
    at,
  };
}

/** Columns of the workflow insert, in the order `workflowValues` gives them. */
export const WORKFLOW_COLUMNS =
  "id, account_id, subject_record_id, type, state, applying_user_email, applying_user_email_lower, " +
  "applying_user_first_name, applying_user_last_name, referrer_value, email_claim, started_at, created_at, updated_at";

export const EVENT_COLUMNS =
  "id, event_type, account_id, subject_record_id, workflow_id, workflow_type, actor_type, actor_id, created_at";

export const SUBJECT_RECORD_COLUMNS = "id, account_id, type, created_at, updated_at";

export function subjectRecordValues(rows: CreateRows, accountId: string) {
  return [rows.subjectRecordId, accountId, "BUSINESS", rows.at, rows.at];
}

export function workflowValues(rows: CreateRows, accountId: string) {
  return [
    rows.workflowId,
    accountId,
    rows.subjectRecordId,
    rows.type,
    "STARTED",
    rows.email,
    rows.emailLower,
    rows.firstName,
    rows.lastName,
    rows.referrer,
    rows.emailClaim,
    rows.at,
    rows.at,
    rows.at,
  ];
}

export function eventValues(rows: CreateRows, accountId: string) {
  return [
    rows.eventId,
    "WORKFLOW_STARTED",
    accountId,
    rows.subjectRecordId,
    rows.workflowId,
    rows.type,
    "API_KEY",
    "bench",
    rows.at,
  ];
}

/** `$1, $2, …` for `count` parameters (PostgreSQL) or `?, ?, …` (SQLite). */
function placeholders(count: number, dialect: "postgres" | "sqlite"): string {
  return Array.from({ length: count }, (_, i) => (dialect === "postgres" ? `$${i + 1}` : "?")).join(", ");
}

/** The three inserts of a create, taking `subjectRecordValues`, `workflowValues`, `eventValues`. */
export function insertStatements(dialect: "postgres" | "sqlite") {
  return {
    subjectRecord: `insert into subject_records (${SUBJECT_RECORD_COLUMNS}) values (${placeholders(5, dialect)})`,
    workflow: `insert into workflows (${WORKFLOW_COLUMNS}) values (${placeholders(14, dialect)})`,
    event: `insert into events (${EVENT_COLUMNS}) values (${placeholders(9, dialect)})`,
  };
}

/** The inserts of a create, prepared on a better-sqlite3 connection; `run` writes one create's rows. */
export function prepareSqliteInserts(db: BetterSqlite3.Database) {
  const sql = insertStatements("sqlite");
  const subjectRecord = db.prepare(sql.subjectRecord);
  const workflow = db.prepare(sql.workflow);
  const event = db.prepare(sql.event);
  return (rows: CreateRows, accountId: string) => {
    subjectRecord.run(subjectRecordValues(rows, accountId));
    workflow.run(workflowValues(rows, accountId));
    event.run(eventValues(rows, accountId));
  };
}
