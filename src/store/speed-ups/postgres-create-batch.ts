/**
 * workflow.create on PostgreSQL for a whole batch of creates (postgres-create-batcher.ts) in two
 * statements instead of a dozen per create: the first gathers, for every create of the batch, the
 * facts its rules need and settles its guard (re-checks a credential taken from memory, records
 * the nonce); the domain's own `decideCreate` then judges each create in TypeScript, exactly as
 * the plain path does; the second statement inserts the subject records, workflows and events of
 * the creates it accepted. No rule is written here: only which rows to look up and to insert.
 *
 * Every create's facts are read as the database was when the first statement started, so two
 * creates that decide each other's answer (the same nonce, the same email claim, the same subject
 * record's business application) must not share a batch: `conflictKeys` names what a create
 * claims, and the batcher never puts two creates claiming the same key together. A transaction
 * elsewhere that takes the same email or subject record between the two statements makes the
 * second fail on a rule index; the batch then rolls back and its creates run alone on the plain
 * path, where the index's refusal becomes the domain error.
 */
import { type CompiledQuery, type Kysely, sql } from "kysely";
import {
  type CreateFacts,
  type CreateWorkflowPlan,
  createRefusalError,
  decideCreate,
  emailClaimOf,
} from "../../domain/create-workflow.js";
import type { Workflow } from "../../domain/records.js";
import { type ApiError, invalidCredentials, nonceReused } from "../../errors.js";
import { EVENT_COLUMNS, eventToRow, workflowToRow } from "../shared/rows.js";
import type { Database } from "../shared/schema.js";
import type { UnitOfWork } from "../store.js";
import { precompiledNamed } from "./precompiled.js";

/** One create of a batch: its unit, its row of the facts statement as JSON, and the keys it claims. */
export interface BatchedCreate {
  unit: UnitOfWork<"createWorkflow">;
  factsInput: string;
  /** Two creates sharing a key decide each other's answer, so they never share a batch. */
  conflictKeys: string[];
}

/** What the facts statement answers for one create, in input order. */
export interface FactsRow {
  position: number;
  credential_ok: boolean;
  /** Null when the create has no nonce. */
  nonce_fresh: boolean | null;
  account_id: string | null;
  allow_multi: number | null;
  record_account_id: string | null;
  record_type: string | null;
  pricing_found: boolean;
  equipment_found: boolean;
  record_applied: boolean;
  email_taken: boolean;
}

/**
 * One create's row of the facts statement; `input` in the statement declares the same fields with
 * their SQL types. A field left out reads as NULL: "has a nonce" and "names a credential to
 * confirm" are the nullness of `nonce` and `confirm_key`.
 */
interface FactsInput {
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
  subject_record_id: string | null;
  is_application: boolean;
  pricing_model_id: string | null;
  equipment_collection_id: string | null;
  email_lower: string | null;
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
 * match (which for a new email never comes); docs/performance.md has the measurement.
 */
const factsStatement = precompiledNamed<"batch", FactsRow>(["batch"], ({ batch }) => {
  const visible = sql`a.organization_id = i.organization_id and a.environment = i.environment
    and (i.all_accounts or a.id = any(i.account_list))`;
  return sql<FactsRow>`
    with
    input as (
      select r.* from rows from (jsonb_to_recordset(${batch}::jsonb) as (
        organization_id text, environment text, all_accounts boolean, account_list text[],
        confirm_key text, nonce_api_key text, nonce text, nonce_now text, nonce_seen_since text,
        account_id text, subject_record_id text, is_application boolean, pricing_model_id text,
        equipment_collection_id text, email_lower text
      )) with ordinality as r
    ),
    checked as (
      select i.*, i.confirm_key is null or credential.live is not null as credential_ok,
        acct.id as acct_id, acct.allow_multi,
        case when record_account.visible then record.account_id end as record_account_id,
        case when record_account.visible then record.type end as record_type,
        pricing.found is not null as pricing_found, equipment.found is not null as equipment_found,
        coalesce(applied.found, false) as record_applied, coalesce(taken.found, false) as email_taken
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
        where id = i.pricing_model_id and account_id = i.account_id limit 1
      ) pricing on true
      left join lateral (
        select true as found from equipment_collections
        where id = i.equipment_collection_id and account_id = i.account_id limit 1
      ) equipment on true
      left join lateral (
        select count(*) filter (where type = 'BUSINESS_APPLICATION') > 0 as found from workflows
        where i.is_application and subject_record_id = i.subject_record_id
      ) applied on true
      left join lateral (
        select count(*) filter (where type = 'BUSINESS_APPLICATION') > 0 as found from workflows
        where i.is_application and acct.allow_multi = 0 and account_id = i.account_id
          and applying_user_email_lower = i.email_lower
      ) taken on true
    ),
    fresh_nonce as (
      insert into nonces (api_key, nonce, seen_at)
      select nonce_api_key, nonce, nonce_now from checked where nonce is not null and credential_ok
      on conflict (api_key, nonce) do update set seen_at = excluded.seen_at
        where nonces.seen_at < (select i.nonce_seen_since from input i
          where i.nonce_api_key = excluded.api_key and i.nonce = excluded.nonce)
      returning api_key, nonce
    )
    select c.ordinality::int as position, c.credential_ok,
      case when c.nonce is not null then exists (
        select 1 from fresh_nonce f where f.api_key = c.nonce_api_key and f.nonce = c.nonce) end
        as nonce_fresh,
      c.acct_id as account_id, c.allow_multi, c.record_account_id, c.record_type,
      c.pricing_found, c.equipment_found, c.record_applied, c.email_taken
    from checked c order by c.ordinality`;
});

/**
 * The rows of the accepted creates, each as JSON objects shaped like their tables' rows
 * (rows.ts): a record of the table's own row type goes in whole, so its columns are in order.
 */
const insertStatement = precompiledNamed<"rows", { written: number }>(["rows"], ({ rows }) => {
  return sql<{ written: number }>`
    with
    input as (
      select jsonb_populate_record(null::subject_records, r.new_record) as sr, r.new_record is not null as has_record,
        jsonb_populate_record(null::workflows, r.workflow) as wf,
        jsonb_populate_record(null::events, r.event) as ev
      from jsonb_to_recordset(${rows}::jsonb) as r(new_record jsonb, workflow jsonb, event jsonb)
    ),
    new_record as (
      insert into subject_records select (sr).* from input where has_record returning id
    ),
    new_workflow as (
      insert into workflows select (wf).* from input returning id
    ),
    new_event as (
      -- Columns named: the stream's position columns (008_event_stream.ts) take their defaults.
      insert into events (${sql.join(EVENT_COLUMNS.map((column) => sql.ref(column)))})
      select ${sql.join(EVENT_COLUMNS.map((column) => sql`(ev).${sql.ref(column)}`))} from input returning id
    ),
    -- The events' outbox rows, as hot-queries.ts fanOutEvent writes them on the plain path.
    new_delivery as (
      insert into webhook_deliveries (event_id, config_id, account_id, status, attempt_count,
        next_attempt_at, created_at, updated_at)
      select (ev).id, c.id, c.account_id, 'PENDING', 0, (ev).created_at, (ev).created_at, (ev).created_at
      from input join webhook_configs c on c.account_id = (ev).account_id and c.deleted_at is null
      returning event_id
    )
    select count(*)::int as written from new_workflow`;
});

export function batchedCreateOf(unit: UnitOfWork<"createWorkflow">): BatchedCreate {
  const { guard, input: plan } = unit;
  const { scope } = plan;
  const { nonce } = guard;
  const isApplication = plan.workflow.type === "BUSINESS_APPLICATION";
  const details = plan.workflow.details;
  const emailLower = details?.applying_user.email.toLowerCase() ?? null;
  const input: FactsInput = {
    organization_id: scope.organization_id,
    environment: scope.environment,
    all_accounts: scope.account_ids === null,
    account_list: scope.account_ids,
    confirm_key: guard.credentialToConfirm,
    nonce_api_key: nonce?.apiKey,
    nonce: nonce?.nonce,
    nonce_now: nonce?.now,
    nonce_seen_since: nonce?.seenSince,
    account_id: plan.accountId,
    subject_record_id: plan.subjectRecordId,
    is_application: isApplication,
    pricing_model_id: details?.pricing_model_id ?? null,
    equipment_collection_id: details?.equipment_collection_id ?? null,
    email_lower: emailLower,
  };
  // NUL separates the parts: it never occurs in an ID, an email or a nonce.
  const conflictKeys: string[] = [];
  if (nonce) conflictKeys.push(`nonce\u0000${nonce.apiKey}\u0000${nonce.nonce}`);
  if (isApplication && plan.subjectRecordId !== null)
    conflictKeys.push(`application\u0000${plan.subjectRecordId}`);
  if (isApplication && emailLower !== null)
    conflictKeys.push(`email\u0000${plan.accountId}\u0000${emailLower}`);
  return { unit, factsInput: JSON.stringify(input), conflictKeys };
}

export function factsStatementOf(
  db: Kysely<Database>,
  creates: readonly BatchedCreate[],
): CompiledQuery<FactsRow> {
  return factsStatement.compile(db, "postgres", {
    batch: `[${creates.map((create) => create.factsInput).join(",")}]`,
  });
}

/** How one create of a batch ends: refused by its guard, or an outcome (and, if accepted, its rows). */
export type BatchDecision =
  | { kind: "refused"; error: ApiError }
  | { kind: "accepted"; value: Workflow; insert: string };

/** The facts the statement answered for one create, as the domain's rules read them. */
function factsOf(row: FactsRow): CreateFacts {
  return {
    account:
      row.account_id === null ? null : { id: row.account_id, allowsSharedEmails: row.allow_multi !== 0 },
    subjectRecord:
      row.record_account_id === null || row.record_type === null
        ? null
        : {
            account_id: row.record_account_id,
            type: row.record_type as CreateWorkflowPlan["requiredSubjectRecordType"],
          },
    pricingModelFound: row.pricing_found,
    equipmentCollectionFound: row.equipment_found,
    subjectRecordHasApplication: row.record_applied,
    emailTaken: row.email_taken,
  };
}

/** The guard's answer first (authentication outranks every rule), then the domain's decision. */
export function decideBatchedCreate(create: BatchedCreate, row: FactsRow): BatchDecision {
  if (!row.credential_ok) return { kind: "refused", error: invalidCredentials() };
  if (row.nonce_fresh === false) return { kind: "refused", error: nonceReused() };
  const plan = create.unit.input;
  const facts = factsOf(row);
  const refusal = decideCreate(plan, facts);
  // Refused by a rule, in a batch that commits: its nonce is spent, nothing else is written.
  if (refusal !== null) return { kind: "refused", error: createRefusalError(refusal, plan) };
  const emailClaim = emailClaimOf(plan, facts.account?.allowsSharedEmails ?? true);
  const insert = JSON.stringify({
    new_record: plan.newSubjectRecord,
    workflow: workflowToRow(plan.workflow, emailClaim),
    event: eventToRow(plan.event),
  });
  return { kind: "accepted", value: plan.workflow, insert };
}

/** The facts rows the statement answered, one per create in order; anything else is a bug. */
export function factsRowsOf(rows: readonly FactsRow[], count: number): FactsRow[] {
  if (rows.length !== count)
    throw new Error(`workflow.create: ${rows.length} facts rows for ${count} creates`);
  rows.forEach((row, i) => {
    if (row.position !== i + 1) throw new Error(`workflow.create: facts row ${row.position} at ${i + 1}`);
  });
  return [...rows];
}

export function insertStatementOf(
  db: Kysely<Database>,
  inserts: readonly string[],
): CompiledQuery<{ written: number }> {
  return insertStatement.compile(db, "postgres", { rows: `[${inserts.join(",")}]` });
}
