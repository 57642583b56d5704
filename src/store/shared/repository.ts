/**
 * The store's queries, written once with Kysely and run unchanged on SQLite and PostgreSQL.
 * Each adapter supplies its Kysely instance and how to recognise a rule-index violation.
 */
import type { Kysely } from "kysely";
import type { WorkflowDetailsWrite } from "../../domain/domain-store.js";
import { RULE_INDEX_ERRORS } from "../../domain/rule-indexes.js";
import { isListedAccount } from "../../domain/visibility.js";
import { hotQueries as hot } from "../speed-ups/hot-queries.js";
import type { Dialect, StoreReads, StoreWrites } from "../store.js";
import { createDataReads, createDataWrites } from "./data-queries.js";
import { createDocumentTypeReads, createDocumentTypeWrites } from "./document-type-queries.js";
import { createEventStreamReads, createEventStreamWrites } from "./event-stream-queries.js";
import { keyset, toPage } from "./pages.js";
import { readRecordData } from "./record-data.js";
import {
  ACCOUNT_DATA_SETTING_COLUMNS,
  accountDataSettingsFromRow,
  accountDataSettingsToRow,
  accountFromRow,
  accountToRow,
  credentialFromRow,
  credentialToRow,
  eventFromRow,
  eventToRow,
  subjectRecordFromRow,
  toFlag,
  workflowFromRow,
  workflowToRow,
} from "./rows.js";
import type { Database } from "./schema.js";
import { createSetupEntityReads } from "./setup-entity-queries.js";
import { createWebhookReads, createWebhookWrites } from "./webhook-queries.js";

/** Names the rule index a driver error violated, or undefined for any other error. */
export type RuleIndexOf = (error: unknown) => string | undefined;

/** Runs a write, turning a rule-index violation into the domain error it means. */
export async function translated<T>(ruleIndexOf: RuleIndexOf, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const index = ruleIndexOf(error);
    const domainError = index === undefined ? undefined : RULE_INDEX_ERRORS[index];
    throw domainError ? domainError() : error;
  }
}

export function createRepository(
  db: Kysely<Database>,
  dialect: Dialect,
  ruleIndexOf: RuleIndexOf,
): StoreReads & StoreWrites {
  return { ...createRepositoryReads(db, dialect), ...createRepositoryWrites(db, dialect, ruleIndexOf) };
}

async function getCredentialOn(db: Kysely<Database>, dialect: Dialect, apiKey: string) {
  const row = await hot.credential.first(db, dialect, apiKey);
  return row && credentialFromRow(row);
}

export function createRepositoryReads(db: Kysely<Database>, dialect: Dialect): StoreReads {
  const getCredential = (apiKey: string) => getCredentialOn(db, dialect, apiKey);

  return {
    ...createDataReads(db),
    ...createEventStreamReads(db, dialect),
    ...createWebhookReads(db),
    ...createDocumentTypeReads(db),
    ...createSetupEntityReads(db),
    async getOrganization(id) {
      return hot.organization.first(db, dialect, id);
    },
    async getAccount(id) {
      const row = await hot.account.first(db, dialect, id);
      return row && accountFromRow(row);
    },
    async getVisibleAccount(id, scope) {
      const row = await hot.visibleAccount.first(db, dialect, id, scope.organization_id, scope.environment);
      return row && isListedAccount(scope, row.id) ? accountFromRow(row) : undefined;
    },
    async listAccounts(organizationId) {
      let query = db.selectFrom("accounts").selectAll().orderBy("created_at").orderBy("id");
      if (organizationId !== undefined) query = query.where("organization_id", "=", organizationId);
      return (await query.execute()).map(accountFromRow);
    },
    getCredential,
    async listCredentials(organizationId) {
      let query = db.selectFrom("credentials").selectAll().orderBy("created_at").orderBy("api_key");
      if (organizationId !== undefined) query = query.where("organization_id", "=", organizationId);
      return (await query.execute()).map(credentialFromRow);
    },
    async pricingModelExists(accountId, id) {
      return (await hot.pricingModelInAccount.first(db, dialect, accountId, id)) !== undefined;
    },
    async equipmentCollectionExists(accountId, id) {
      return (await hot.equipmentCollectionInAccount.first(db, dialect, accountId, id)) !== undefined;
    },
    async getSubjectRecord(id) {
      const row = await hot.subjectRecord.first(db, dialect, id);
      return row && subjectRecordFromRow(row);
    },
    async getVisibleSubjectRecord(id, scope) {
      const row = await hot.visibleSubjectRecord.first(
        db,
        dialect,
        id,
        scope.organization_id,
        scope.environment,
      );
      return row && isListedAccount(scope, row.account_id) ? subjectRecordFromRow(row) : undefined;
    },
    async listSubjectRecords(accountId, page) {
      const query = db.selectFrom("subject_records").selectAll().where("account_id", "=", accountId);
      return toPage(page, (await keyset(query, page).execute()).map(subjectRecordFromRow));
    },
    async getWorkflow(id) {
      const row = await hot.workflow.first(db, dialect, id);
      return row && workflowFromRow(row);
    },
    async getVisibleWorkflow(id, scope) {
      const row = await hot.visibleWorkflow.first(db, dialect, id, scope.organization_id, scope.environment);
      return row && isListedAccount(scope, row.account_id) ? workflowFromRow(row) : undefined;
    },
    async listWorkflows(subjectRecordId, page) {
      const query = db.selectFrom("workflows").selectAll().where("subject_record_id", "=", subjectRecordId);
      return toPage(page, (await keyset(query, page).execute()).map(workflowFromRow));
    },
    async hasWorkflowOfType(subjectRecordId, type) {
      return (await hot.workflowOfType.first(db, dialect, subjectRecordId, type)) !== undefined;
    },
    async applicantEmailInUse(accountId, emailLower, exceptWorkflowId) {
      if (exceptWorkflowId === undefined)
        return (await hot.applicationWithEmail.first(db, dialect, accountId, emailLower)) !== undefined;
      let query = db
        .selectFrom("workflows")
        .select("id")
        .where("account_id", "=", accountId)
        .where("applying_user_email_lower", "=", emailLower)
        .where("type", "=", "BUSINESS_APPLICATION");
      query = query.where("id", "!=", exceptWorkflowId);
      return (await query.limit(1).executeTakeFirst()) !== undefined;
    },
    async getAccountDataSettings(accountId) {
      const row = await db
        .selectFrom("accounts")
        .select(ACCOUNT_DATA_SETTING_COLUMNS)
        .where("id", "=", accountId)
        .executeTakeFirst();
      return row && accountDataSettingsFromRow(row);
    },
    async listEvents(filter) {
      let query = db.selectFrom("events").selectAll().orderBy("created_at").orderBy("id");
      if (filter.workflowId !== undefined) query = query.where("workflow_id", "=", filter.workflowId);
      if (filter.accountId !== undefined) query = query.where("account_id", "=", filter.accountId);
      return (await query.execute()).map(eventFromRow);
    },

    // Completion requirements (data.md §14).
    readRecordData: (subjectRecordId) => readRecordData(db, dialect, subjectRecordId),
  };
}

/**
 * Every write of the repository. The SQLite adapter routes each of this object's methods to its
 * writer thread by name (sqlite-connection.ts `sqliteWritesOn`): a write defined here is routed
 * without being listed anywhere.
 */
export function createRepositoryWrites(
  db: Kysely<Database>,
  dialect: Dialect,
  ruleIndexOf: RuleIndexOf,
): StoreWrites {
  return {
    ...createDataWrites(db, dialect, (work) => translated(ruleIndexOf, work)),
    ...createEventStreamWrites(db),
    ...createWebhookWrites(db, dialect, (work) => translated(ruleIndexOf, work)),
    ...createDocumentTypeWrites(db),
    async insertOrganization(organization) {
      await db.insertInto("organizations").values(organization).execute();
    },
    async insertAccount(account) {
      await db.insertInto("accounts").values(accountToRow(account)).execute();
    },
    async updateAccount(id, patch) {
      const values: {
        name?: string | null;
        allow_multiple_applications_per_email?: number;
        updated_at: string;
      } = {
        ...accountDataSettingsToRow(patch),
        updated_at: patch.updated_at,
      };
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.allow_multiple_applications_per_email !== undefined) {
        values.allow_multiple_applications_per_email = toFlag(patch.allow_multiple_applications_per_email);
      }
      const row = await db
        .updateTable("accounts")
        .set(values)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row && accountFromRow(row);
    },
    async insertCredential(credential) {
      await db.insertInto("credentials").values(credentialToRow(credential)).execute();
    },
    async revokeCredential(apiKey, at) {
      await db
        .updateTable("credentials")
        .set({ revoked_at: at })
        .where("api_key", "=", apiKey)
        .where("revoked_at", "is", null)
        .execute();
      return getCredentialOn(db, dialect, apiKey);
    },
    async insertPricingModel(entity) {
      await db.insertInto("pricing_models").values(entity).execute();
    },
    async insertEquipmentCollection(entity) {
      await db.insertInto("equipment_collections").values(entity).execute();
    },
    async insertSubjectRecord(record) {
      await hot.insertSubjectRecord(db, dialect, record);
    },
    async insertWorkflow({ workflow, emailClaim }) {
      await translated(ruleIndexOf, () =>
        hot.insertWorkflow(db, dialect, workflowToRow(workflow, emailClaim)),
      );
    },
    async updateWorkflowDetails({ workflow, emailClaim }: WorkflowDetailsWrite, expectedState) {
      const {
        id: _id,
        created_at: _created,
        email_claim,
        ...rest
      } = workflowToRow(workflow, emailClaim ?? null);
      // An unchanged email keeps its claim, so an update that does not touch the email never
      // trips over duplicates that predate the account's unique-email setting.
      const changes = emailClaim === undefined ? rest : { ...rest, email_claim };
      const result = await translated(ruleIndexOf, () =>
        db
          .updateTable("workflows")
          .set(changes)
          .where("id", "=", workflow.id)
          .where("state", "=", expectedState)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },
    async transitionWorkflow(id, from, to, times) {
      const result = await db
        .updateTable("workflows")
        .set({ state: to, ...times })
        .where("id", "=", id)
        .where("state", "=", from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteWorkflowInState(id, state) {
      const result = await db
        .deleteFrom("workflows")
        .where("id", "=", id)
        .where("state", "=", state)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async insertEvent(event) {
      await hot.insertEvent(db, dialect, eventToRow(event));
      await hot.fanOutEvent.run(db, dialect, event.id, event.account_id, event.created_at);
    },
    async claimNonce(apiKey, nonce, now, seenSince) {
      return (await hot.claimNonce.first(db, dialect, apiKey, nonce, now, seenSince)) !== undefined;
    },
  };
}
