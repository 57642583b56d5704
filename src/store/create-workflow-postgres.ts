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
import { workflowToRow } from "./rows.js";
import type { Database } from "./schema.js";

export type CreateVerdictRow = { verdict: string };

/** The statement for one plan; `db` only compiles it (its text is the same for every plan). */
export function createWorkflowStatement(
  db: Kysely<Database>,
  plan: CreateWorkflowPlan,
): CompiledQuery<CreateVerdictRow> {
  const { scope, workflow: wf, event: ev } = plan;
  const row = workflowToRow(wf, null);
  const isApplication = wf.type === "BUSINESS_APPLICATION";
  const allAccounts = scope.account_ids === null;
  const accountList = scope.account_ids ?? [];
  const newRecord = plan.newSubjectRecord;
  // Visibility (domain/visibility.ts) expressed in SQL for an accounts row aliased `a`.
  const visible = sql`a.organization_id = ${scope.organization_id} and a.environment = ${scope.environment}
    and (${allAccounts}::boolean or a.id = any(${accountList}::text[]))`;
  const nonce = plan.nonce;
  const confirm = plan.credentialToConfirm;
  return sql<CreateVerdictRow>`
    with
    credential_ok as (
      select not ${confirm !== null}::boolean or exists (
        select 1 from credentials where api_key = ${confirm}::text and revoked_at is null) as ok
    ),
    fresh_nonce as (
      insert into nonces (api_key, nonce, seen_at)
      select ${nonce?.apiKey ?? null}::text, ${nonce?.nonce ?? null}::text, ${nonce?.now ?? null}::text
      where ${nonce !== null}::boolean and (select ok from credential_ok)
      on conflict (api_key, nonce) do update set seen_at = excluded.seen_at
        where nonces.seen_at < ${nonce?.seenSince ?? null}::text
      returning 1
    ),
    acct as (
      select a.id, a.allow_multiple_applications_per_email as allow_multi from accounts a
      where a.id = ${plan.accountId} and ${visible}
    ),
    named as (
      select s.id, s.account_id, s.type from subject_records s join accounts a on a.id = s.account_id
      where s.id = ${plan.subjectRecordId}::text and ${visible}
    ),
    verdict as (
      select case
        when not (select ok from credential_ok) then 'credential_revoked'
        when ${nonce !== null}::boolean and not exists (select 1 from fresh_nonce) then 'nonce_reused'
        when not exists (select 1 from acct) then 'account_not_found'
        when not ${plan.creatable}::boolean then 'invalid_workflow_type'
        when ${plan.subjectRecordId}::text is not null and not exists (select 1 from named)
          then 'subject_record_not_found'
        when ${plan.subjectRecordId}::text is not null and (select account_id from named) <> ${plan.accountId}
          then 'cross_account'
        when ${plan.subjectRecordId}::text is not null and (select type from named) <> ${plan.requiredSubjectRecordType}
          then 'invalid_subject_record_type'
        when ${row.pricing_model_id}::text is not null and not exists (
          select 1 from pricing_models where id = ${row.pricing_model_id}::text and account_id = ${plan.accountId})
          then 'pricing_model_not_found'
        when ${row.equipment_collection_id}::text is not null and not exists (
          select 1 from equipment_collections where id = ${row.equipment_collection_id}::text and account_id = ${plan.accountId})
          then 'equipment_collection_not_found'
        when ${isApplication}::boolean and ${plan.subjectRecordId}::text is not null and exists (
          select 1 from workflows where subject_record_id = ${plan.subjectRecordId}::text and type = 'BUSINESS_APPLICATION')
          then 'business_application_limit'
        when ${isApplication}::boolean and (select allow_multi from acct) = 0 and exists (
          select 1 from workflows where account_id = ${plan.accountId}
            and applying_user_email_lower = ${row.applying_user_email_lower}::text and type = 'BUSINESS_APPLICATION')
          then 'duplicate_email'
        else 'ok' end as verdict
    ),
    new_record as (
      insert into subject_records (id, account_id, type, created_at, updated_at)
      select ${newRecord?.id ?? null}::text, ${plan.accountId}, ${newRecord?.type ?? null}::text,
        ${newRecord?.created_at ?? null}::text, ${newRecord?.updated_at ?? null}::text
      from verdict where verdict = 'ok' and ${newRecord !== null}::boolean
      returning id
    ),
    new_workflow as (
      insert into workflows (id, account_id, subject_record_id, type, state, applying_user_email,
        applying_user_email_lower, applying_user_first_name, applying_user_last_name, pricing_model_id,
        equipment_collection_id, referrer_value, email_claim, started_at, ended_at, created_at, updated_at)
      select ${row.id}, ${row.account_id}, ${row.subject_record_id}, ${row.type}, ${row.state},
        ${row.applying_user_email}::text, ${row.applying_user_email_lower}::text, ${row.applying_user_first_name}::text,
        ${row.applying_user_last_name}::text, ${row.pricing_model_id}::text, ${row.equipment_collection_id}::text,
        ${row.referrer_value}::text,
        case when ${isApplication}::boolean and (select allow_multi from acct) = 0
          then ${row.applying_user_email_lower}::text end,
        ${row.started_at}::text, ${row.ended_at}::text, ${row.created_at}, ${row.updated_at}
      from verdict where verdict = 'ok'
      returning id
    ),
    new_event as (
      insert into events (id, event_type, account_id, subject_record_id, workflow_id, workflow_type,
        actor_type, actor_id, created_at)
      select ${ev.id}, ${ev.event_type}, ${ev.account_id}, ${ev.subject_record_id}, ${ev.workflow_id},
        ${ev.workflow_type}, ${ev.actor_type}, ${ev.actor_id}, ${ev.created_at}
      from new_workflow
      returning id
    )
    select verdict from verdict`.compile(db);
}

/** The verdict the statement answered; anything else is a bug, not a rule. */
export function verdictOf(rows: CreateVerdictRow[]): CreateWorkflowVerdict {
  const verdict = rows[0]?.verdict;
  if (!(CREATE_VERDICTS as readonly string[]).includes(verdict ?? "")) {
    throw new Error(`unexpected workflow.create verdict: ${verdict}`);
  }
  return verdict as CreateWorkflowVerdict;
}
