/**
 * workflow.create on PostgreSQL in ONE statement: the credential's revocation check (when the
 * authenticator took it from memory), the request's nonce, the rule checks in
 * methods.md's order, and the three inserts as data-modifying CTEs that run only when the verdict is "ok". One round
 * trip instead of eight; the statement is atomic on its own, so it can run alone (autocommit) or
 * next to other creates in a shared transaction (postgres-create-batcher.ts). The rule indexes
 * still arbitrate between simultaneous requests (a violation aborts the whole statement, and
 * the batcher maps it to the domain error).
 */
import { type CompiledQuery, type Kysely, sql } from "kysely";
import {
  CREATE_VERDICTS,
  type CreateWorkflowPlan,
  type CreateWorkflowVerdict,
} from "../domain/create-workflow.js";
import { EVENT_COLUMNS, WORKFLOW_COLUMNS } from "./hot-queries.js";
import { precompiledNamed } from "./precompiled.js";
import { workflowToRow } from "./rows.js";
import type { Database } from "./schema.js";

export type CreateVerdictRow = { verdict: string };

/** The workflow row's values; its email claim is decided in the statement from the account. */
const WORKFLOW_VALUES = WORKFLOW_COLUMNS.filter(
  (column): column is Exclude<(typeof WORKFLOW_COLUMNS)[number], "email_claim"> => column !== "email_claim",
);

/** Each row column with its argument's name, paired once rather than on every request. */
const WORKFLOW_ARGUMENTS = WORKFLOW_VALUES.map((column) => [`wf_${column}` as const, column] as const);
const EVENT_ARGUMENTS = EVENT_COLUMNS.map((column) => [`ev_${column}` as const, column] as const);

/** The statement's arguments, by name; every one is a parameter, never part of the SQL text. */
const ARGUMENTS = [
  "organizationId",
  "environment",
  "allAccounts",
  "accountList",
  "confirming",
  "confirmKey",
  "hasNonce",
  "nonceApiKey",
  "nonce",
  "nonceNow",
  "nonceSeenSince",
  "accountId",
  "creatable",
  "subjectRecordId",
  "requiredType",
  "isApplication",
  "hasNewRecord",
  "newRecordId",
  "newRecordType",
  "newRecordCreatedAt",
  "newRecordUpdatedAt",
  ...WORKFLOW_ARGUMENTS.map(([name]) => name),
  ...EVENT_ARGUMENTS.map(([name]) => name),
] as const;
type Arguments = Record<(typeof ARGUMENTS)[number], unknown>;

/**
 * Built by Kysely once and then only given new arguments (precompiled.ts): the text is the same
 * string every time, so the prepared statement's name is found without rehashing 4 KB of SQL.
 */
const statement = precompiledNamed<(typeof ARGUMENTS)[number], CreateVerdictRow>(ARGUMENTS, (a) => {
  // Visibility (domain/visibility.ts) expressed in SQL for an accounts row aliased `a`.
  const visible = sql`a.organization_id = ${a.organizationId} and a.environment = ${a.environment}
    and (${a.allAccounts}::boolean or a.id = any(${a.accountList}::text[]))`;
  return sql<CreateVerdictRow>`
    with
    credential_ok as (
      select not ${a.confirming}::boolean or exists (
        select 1 from credentials where api_key = ${a.confirmKey}::text and revoked_at is null) as ok
    ),
    fresh_nonce as (
      insert into nonces (api_key, nonce, seen_at)
      select ${a.nonceApiKey}::text, ${a.nonce}::text, ${a.nonceNow}::text
      where ${a.hasNonce}::boolean and (select ok from credential_ok)
      on conflict (api_key, nonce) do update set seen_at = excluded.seen_at
        where nonces.seen_at < ${a.nonceSeenSince}::text
      returning 1
    ),
    acct as (
      select a.id, a.allow_multiple_applications_per_email as allow_multi from accounts a
      where a.id = ${a.accountId} and ${visible}
    ),
    named as (
      select s.id, s.account_id, s.type from subject_records s join accounts a on a.id = s.account_id
      where s.id = ${a.subjectRecordId}::text and ${visible}
    ),
    verdict as (
      select case
        when not (select ok from credential_ok) then 'credential_revoked'
        when ${a.hasNonce}::boolean and not exists (select 1 from fresh_nonce) then 'nonce_reused'
        when not exists (select 1 from acct) then 'account_not_found'
        when not ${a.creatable}::boolean then 'invalid_workflow_type'
        when ${a.subjectRecordId}::text is not null and not exists (select 1 from named)
          then 'subject_record_not_found'
        when ${a.subjectRecordId}::text is not null and (select account_id from named) <> ${a.accountId}
          then 'cross_account'
        when ${a.subjectRecordId}::text is not null and (select type from named) <> ${a.requiredType}
          then 'invalid_subject_record_type'
        when ${a.wf_pricing_model_id}::text is not null and not exists (
          select 1 from pricing_models where id = ${a.wf_pricing_model_id}::text and account_id = ${a.accountId})
          then 'pricing_model_not_found'
        when ${a.wf_equipment_collection_id}::text is not null and not exists (
          select 1 from equipment_collections where id = ${a.wf_equipment_collection_id}::text and account_id = ${a.accountId})
          then 'equipment_collection_not_found'
        when ${a.isApplication}::boolean and ${a.subjectRecordId}::text is not null and exists (
          select 1 from workflows where subject_record_id = ${a.subjectRecordId}::text and type = 'BUSINESS_APPLICATION')
          then 'business_application_limit'
        when ${a.isApplication}::boolean and (select allow_multi from acct) = 0 and exists (
          select 1 from workflows where account_id = ${a.accountId}
            and applying_user_email_lower = ${a.wf_applying_user_email_lower}::text and type = 'BUSINESS_APPLICATION')
          then 'duplicate_email'
        else 'ok' end as verdict
    ),
    new_record as (
      insert into subject_records (id, account_id, type, created_at, updated_at)
      select ${a.newRecordId}::text, ${a.accountId}, ${a.newRecordType}::text,
        ${a.newRecordCreatedAt}::text, ${a.newRecordUpdatedAt}::text
      from verdict where verdict = 'ok' and ${a.hasNewRecord}::boolean
      returning id
    ),
    new_workflow as (
      insert into workflows (id, account_id, subject_record_id, type, state, applying_user_email,
        applying_user_email_lower, applying_user_first_name, applying_user_last_name, pricing_model_id,
        equipment_collection_id, referrer_value, email_claim, started_at, ended_at, created_at, updated_at)
      select ${a.wf_id}, ${a.wf_account_id}, ${a.wf_subject_record_id}, ${a.wf_type}, ${a.wf_state},
        ${a.wf_applying_user_email}::text, ${a.wf_applying_user_email_lower}::text, ${a.wf_applying_user_first_name}::text,
        ${a.wf_applying_user_last_name}::text, ${a.wf_pricing_model_id}::text, ${a.wf_equipment_collection_id}::text,
        ${a.wf_referrer_value}::text,
        case when ${a.isApplication}::boolean and (select allow_multi from acct) = 0
          then ${a.wf_applying_user_email_lower}::text end,
        ${a.wf_started_at}::text, ${a.wf_ended_at}::text, ${a.wf_created_at}, ${a.wf_updated_at}
      from verdict where verdict = 'ok'
      returning id
    ),
    new_event as (
      insert into events (id, event_type, account_id, subject_record_id, workflow_id, workflow_type,
        actor_type, actor_id, created_at)
      select ${a.ev_id}, ${a.ev_event_type}, ${a.ev_account_id}, ${a.ev_subject_record_id}, ${a.ev_workflow_id},
        ${a.ev_workflow_type}, ${a.ev_actor_type}, ${a.ev_actor_id}, ${a.ev_created_at}
      from new_workflow
      returning id
    )
    select verdict from verdict`;
});

/** The statement for one plan; `db` only compiles it (its text is the same for every plan). */
export function createWorkflowStatement(
  db: Kysely<Database>,
  plan: CreateWorkflowPlan,
): CompiledQuery<CreateVerdictRow> {
  const { scope, nonce, credentialToConfirm: confirm } = plan;
  const newRecord = plan.newSubjectRecord;
  const args: Partial<Arguments> = {
    organizationId: scope.organization_id,
    environment: scope.environment,
    allAccounts: scope.account_ids === null,
    accountList: scope.account_ids ?? [],
    confirming: confirm !== null,
    confirmKey: confirm,
    hasNonce: nonce !== null,
    nonceApiKey: nonce?.apiKey,
    nonce: nonce?.nonce,
    nonceNow: nonce?.now,
    nonceSeenSince: nonce?.seenSince,
    accountId: plan.accountId,
    creatable: plan.creatable,
    subjectRecordId: plan.subjectRecordId,
    requiredType: plan.requiredSubjectRecordType,
    isApplication: plan.workflow.type === "BUSINESS_APPLICATION",
    hasNewRecord: newRecord !== null,
    newRecordId: newRecord?.id,
    newRecordType: newRecord?.type,
    newRecordCreatedAt: newRecord?.created_at,
    newRecordUpdatedAt: newRecord?.updated_at,
  };
  const row = workflowToRow(plan.workflow, null);
  for (const [name, column] of WORKFLOW_ARGUMENTS) args[name] = row[column];
  for (const [name, column] of EVENT_ARGUMENTS) args[name] = plan.event[column];
  // Absent values (undefined) are bound as NULL.
  return statement.compile(db, "postgres", args as Arguments);
}

/** The verdict the statement answered; anything else is a bug, not a rule. */
export function verdictOf(rows: CreateVerdictRow[]): CreateWorkflowVerdict {
  const verdict = rows[0]?.verdict;
  if (!(CREATE_VERDICTS as readonly string[]).includes(verdict ?? "")) {
    throw new Error(`unexpected workflow.create verdict: ${verdict}`);
  }
  return verdict as CreateWorkflowVerdict;
}
