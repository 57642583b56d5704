/**
 * workflow.create on PostgreSQL: ONE statement for a whole batch of creates (one create is a
 * batch of one). Each create's plan goes in as one row of a JSON array; for every row the
 * statement checks the credential's revocation (when the authenticator took it from memory),
 * records the nonce, checks the rules in methods.md's order, and inserts the subject record,
 * workflow and event of the rows whose verdict is "ok". It answers one verdict per row, in order.
 *
 * One statement instead of one per create: PostgreSQL's cost per statement (planning is cached,
 * but starting and ending the executor for a dozen CTE nodes, the protocol messages) was much of
 * its cost per create. Measured on PostgreSQL alone, with 4 connections: 1.3× the creates per
 * second at 6 creates per batch, 1.7× at 16.
 *
 * Every row is checked against the database as it was when the statement started, so two rows
 * that decide each other's verdict (the same nonce, the same email claim, the same subject
 * record's business application) must not share a statement: `conflictKeys` names what a create
 * claims, and the batcher never puts two creates claiming the same key together. Should two such
 * rows meet anyway, the unique indexes (and ON CONFLICT, which cannot touch a row twice) make the
 * statement fail rather than answer wrongly, and the batcher runs its creates again one by one.
 * Between transactions the rule indexes still arbitrate (a violation aborts the statement, and
 * the caller maps it to the domain error).
 */
import { type CompiledQuery, type Kysely, sql } from "kysely";
import {
  CREATE_VERDICTS,
  type CreateWorkflowPlan,
  type CreateWorkflowVerdict,
} from "../../domain/create-workflow.js";
import type { EventRecord, SubjectRecord } from "../../domain/records.js";
import { workflowToRow } from "../shared/rows.js";
import type { Database, WorkflowsTable } from "../shared/schema.js";
import { precompiledNamed } from "./precompiled.js";

export type CreateVerdictRow = { position: number; verdict: string };

/**
 * One create's row of the statement's input, as the JSON sends it; `input` in the statement
 * declares the same fields with their SQL types. A field left out (or undefined) reads as NULL:
 * "has a nonce", "names a credential to confirm" and "makes a subject record" are the nullness of
 * `nonce`, `confirm_key` and `new_record`. The three rows to insert travel whole, as JSON objects
 * shaped like their tables' rows (rows.ts).
 */
interface InputRow {
  organization_id: string;
  environment: string;
  all_accounts: boolean;
  account_list: readonly string[] | null;
  confirm_key: string | null;
  nonce_api_key: string | undefined;
  nonce: string | undefined;
  nonce_now: string | undefined;
  nonce_seen_since: string | undefined;
  account_id: string;
  creatable: boolean;
  subject_record_id: string | null;
  required_type: string;
  is_application: boolean;
  new_record: SubjectRecord | null;
  workflow: WorkflowsTable;
  event: EventRecord;
}

/**
 * Built by Kysely once; every call only gives it a new batch (precompiled.ts). `i` is a row of
 * `input`, `a` an accounts row: visibility (domain/visibility.ts) expressed in SQL.
 *
 * Every lookup is a LATERAL subquery on its key, which PostgreSQL can only run as an index probe
 * per input row. Written as joins or EXISTS, the planner — which guesses 100 input rows — may
 * instead hash a whole table once per statement. The two workflow lookups count their matches
 * rather than take LIMIT 1, and leave the type out of their WHERE: with LIMIT 1, a plan cached
 * while the tables were empty walked the whole business-application index looking for a first
 * match (which for a new email never comes), 3× slower within a minute.
 */
const statement = precompiledNamed<"batch", CreateVerdictRow>(["batch"], ({ batch }) => {
  const visible = sql`a.organization_id = i.organization_id and a.environment = i.environment
    and (i.all_accounts or a.id = any(i.account_list))`;
  return sql<CreateVerdictRow>`
    with
    input as (
      select r.*,
        jsonb_populate_record(null::subject_records, r.new_record) as sr,
        jsonb_populate_record(null::workflows, r.workflow) as wf,
        jsonb_populate_record(null::events, r.event) as ev
      from rows from (jsonb_to_recordset(${batch}::jsonb) as (
        organization_id text, environment text, all_accounts boolean, account_list text[],
        confirm_key text, nonce_api_key text, nonce text, nonce_now text, nonce_seen_since text,
        account_id text, creatable boolean, subject_record_id text, required_type text,
        is_application boolean, new_record jsonb, workflow jsonb, event jsonb
      )) with ordinality as r
    ),
    checked as (
      select i.*, i.confirm_key is null or credential.live is not null as credential_ok,
        acct.id as acct_id, acct.allow_multi,
        record.account_id as record_account_id, record.type as record_type,
        record_account.visible as record_visible,
        pricing.found as pricing_found, equipment.found as equipment_found,
        applied.found as record_applied, taken.found as email_taken
      from input i
      left join lateral (
        select true as live from credentials
        where api_key = i.confirm_key and revoked_at is null limit 1
      ) credential on true
      left join lateral (
        select a.id, a.allow_multiple_applications_per_email as allow_multi from accounts a
        where a.id = i.account_id and ${visible} limit 1
      ) acct on true
      left join lateral (
        select account_id, type from subject_records where id = i.subject_record_id limit 1
      ) record on true
      left join lateral (
        select true as visible from accounts a where a.id = record.account_id and ${visible} limit 1
      ) record_account on true
      left join lateral (
        select true as found from pricing_models
        where id = (i.wf).pricing_model_id and account_id = i.account_id limit 1
      ) pricing on true
      left join lateral (
        select true as found from equipment_collections
        where id = (i.wf).equipment_collection_id and account_id = i.account_id limit 1
      ) equipment on true
      left join lateral (
        select count(*) filter (where type = 'BUSINESS_APPLICATION') > 0 as found from workflows
        where i.is_application and subject_record_id = i.subject_record_id
      ) applied on true
      left join lateral (
        select count(*) filter (where type = 'BUSINESS_APPLICATION') > 0 as found from workflows
        where i.is_application and acct.allow_multi = 0 and account_id = i.account_id
          and applying_user_email_lower = (i.wf).applying_user_email_lower
      ) taken on true
    ),
    fresh_nonce as (
      insert into nonces (api_key, nonce, seen_at)
      select nonce_api_key, nonce, nonce_now from checked where nonce is not null and credential_ok
      on conflict (api_key, nonce) do update set seen_at = excluded.seen_at
        where nonces.seen_at < (select i.nonce_seen_since from input i
          where i.nonce_api_key = excluded.api_key and i.nonce = excluded.nonce)
      returning api_key, nonce
    ),
    verdict as (
      select c.*, case
        when not c.credential_ok then 'credential_revoked'
        when c.nonce is not null and not exists (
          select 1 from fresh_nonce f where f.api_key = c.nonce_api_key and f.nonce = c.nonce)
          then 'nonce_reused'
        when c.acct_id is null then 'account_not_found'
        when not c.creatable then 'invalid_workflow_type'
        when c.subject_record_id is not null and c.record_visible is null then 'subject_record_not_found'
        when c.subject_record_id is not null and c.record_account_id <> c.account_id then 'cross_account'
        when c.subject_record_id is not null and c.record_type <> c.required_type
          then 'invalid_subject_record_type'
        when (c.wf).pricing_model_id is not null and c.pricing_found is null then 'pricing_model_not_found'
        when (c.wf).equipment_collection_id is not null and c.equipment_found is null
          then 'equipment_collection_not_found'
        when c.record_applied then 'business_application_limit'
        when c.email_taken then 'duplicate_email'
        else 'ok' end as verdict
      from checked c
    ),
    -- A subject record and an event go in whole: a record of the table's own row type, so its
    -- columns are in order. The workflow's email claim is decided here, from the account.
    new_record as (
      insert into subject_records select (v.sr).* from verdict v
      where v.verdict = 'ok' and v.new_record is not null
      returning id
    ),
    new_workflow as (
      insert into workflows (id, account_id, subject_record_id, type, state, applying_user_email,
        applying_user_email_lower, applying_user_first_name, applying_user_last_name, pricing_model_id,
        equipment_collection_id, referrer_value, email_claim, started_at, ended_at, created_at, updated_at)
      select (wf).id, (wf).account_id, (wf).subject_record_id, (wf).type, (wf).state,
        (wf).applying_user_email, (wf).applying_user_email_lower, (wf).applying_user_first_name,
        (wf).applying_user_last_name, (wf).pricing_model_id, (wf).equipment_collection_id,
        (wf).referrer_value,
        case when is_application and allow_multi = 0 then (wf).applying_user_email_lower end,
        (wf).started_at, (wf).ended_at, (wf).created_at, (wf).updated_at
      from verdict where verdict = 'ok'
      returning id
    ),
    new_event as (
      insert into events select (v.ev).* from verdict v join new_workflow w on w.id = (v.wf).id
      returning id
    )
    select ordinality::int as position, verdict from verdict order by ordinality`;
});

/** One create, ready to join a batch: its input row as JSON, and the keys it claims. */
export interface CreateInput {
  json: string;
  /** Two creates sharing a key decide each other's verdict, so they never share a statement. */
  conflictKeys: string[];
}

export function createInputOf(plan: CreateWorkflowPlan): CreateInput {
  const { scope, nonce } = plan;
  const isApplication = plan.workflow.type === "BUSINESS_APPLICATION";
  const workflow = workflowToRow(plan.workflow, null);
  const input: InputRow = {
    organization_id: scope.organization_id,
    environment: scope.environment,
    all_accounts: scope.account_ids === null,
    account_list: scope.account_ids,
    confirm_key: plan.credentialToConfirm,
    nonce_api_key: nonce?.apiKey,
    nonce: nonce?.nonce,
    nonce_now: nonce?.now,
    nonce_seen_since: nonce?.seenSince,
    account_id: plan.accountId,
    creatable: plan.creatable,
    subject_record_id: plan.subjectRecordId,
    required_type: plan.requiredSubjectRecordType,
    is_application: isApplication,
    new_record: plan.newSubjectRecord,
    workflow,
    event: plan.event,
  };

  // NUL separates the parts: it never occurs in an ID, an email or a nonce.
  const conflictKeys: string[] = [];
  if (nonce) conflictKeys.push(`nonce\u0000${nonce.apiKey}\u0000${nonce.nonce}`);
  if (isApplication && plan.subjectRecordId !== null)
    conflictKeys.push(`application\u0000${plan.subjectRecordId}`);
  if (isApplication && workflow.applying_user_email_lower !== null)
    conflictKeys.push(`email\u0000${plan.accountId}\u0000${workflow.applying_user_email_lower}`);
  return { json: JSON.stringify(input), conflictKeys };
}

/** The statement for a batch of inputs; `db` only compiles it (its text never changes). */
export function createWorkflowsStatement(
  db: Kysely<Database>,
  inputs: readonly CreateInput[],
): CompiledQuery<CreateVerdictRow> {
  return statement.compile(db, "postgres", { batch: `[${inputs.map((input) => input.json).join(",")}]` });
}

/** The verdicts the statement answered, one per input in order; anything else is a bug. */
export function verdictsOf(rows: readonly CreateVerdictRow[], count: number): CreateWorkflowVerdict[] {
  if (rows.length !== count) throw new Error(`workflow.create: ${rows.length} verdicts for ${count} creates`);
  return rows.map((row, i) => {
    if (row.position !== i + 1 || !(CREATE_VERDICTS as readonly string[]).includes(row.verdict)) {
      throw new Error(`unexpected workflow.create verdict: ${row.position} ${row.verdict}`);
    }
    return row.verdict as CreateWorkflowVerdict;
  });
}
