/**
 * The queries on a request's hot path (authentication, workflow.create's checks and inserts,
 * lookups by ID), precompiled once per dialect (precompiled.ts) instead of rebuilt per call.
 * Queries whose shape depends on their arguments (lists, patches) stay in repository.ts.
 */
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { columnsOf, EVENT_COLUMNS } from "../shared/rows.js";
import type { Database, EventsTable, SubjectRecordsTable, WorkflowsTable } from "../shared/schema.js";
import type { Dialect } from "../store.js";
import { precompiled } from "./precompiled.js";

/** Every column of a table, listed once; the `Record` type makes leaving one out an error. */

/** The workflows table's columns, in the fixed order of every insert. */
const WORKFLOW_COLUMNS = columnsOf<WorkflowsTable>({
  id: true,
  account_id: true,
  subject_record_id: true,
  type: true,
  state: true,
  applying_user_email: true,
  applying_user_email_lower: true,
  applying_user_first_name: true,
  applying_user_last_name: true,
  pricing_model_id: true,
  equipment_collection_id: true,
  referrer_value: true,
  email_claim: true,
  started_at: true,
  ended_at: true,
  created_at: true,
  updated_at: true,
});

/** The outbox columns a new delivery sets; the lease and error columns start null. */
const DELIVERY_COLUMNS = [
  "event_id",
  "config_id",
  "account_id",
  "status",
  "attempt_count",
  "next_attempt_at",
  "created_at",
  "updated_at",
] as const;

/** An insert of a whole row, its columns in a fixed order so the SQL never changes. */
function insertRow<Table extends "subject_records" | "workflows" | "events", Row>(
  table: Table,
  columns: (keyof Row & string)[],
) {
  const query = precompiled(columns.length, (db: Kysely<Database>, ...values: unknown[]) =>
    db.insertInto(table).values(Object.fromEntries(columns.map((column, i) => [column, values[i]])) as never),
  );
  return (db: Kysely<Database>, dialect: Dialect, row: Row) =>
    query.run(db, dialect, ...columns.map((column) => row[column]));
}

const byId = <Table extends keyof Database>(table: Table) =>
  precompiled(1, (db: Kysely<Database>, id: string) =>
    // The casts stand in for Kysely's per-table types, which a generic table name loses.
    db
      .selectFrom(table as "organizations")
      .selectAll()
      .where("id", "=", id),
  ) as unknown as ReturnType<typeof precompiled<[string], Database[Table]>>;

/**
 * A row by ID, only if its account is in the caller's organization and environment: one query
 * (one round trip) whether the row is missing or another organization's, so neither answer nor
 * time tells the two apart. The account list of a narrowed credential is checked on the row.
 */
const visibleByAccount = <Table extends "subject_records" | "workflows">(table: Table) =>
  precompiled(3, (db: Kysely<Database>, id: string, organizationId: string, environment: string) =>
    // The casts stand in for Kysely's per-table types, which a generic table name loses.
    db
      .selectFrom(table as "workflows")
      .innerJoin("accounts", "accounts.id", `${table}.account_id` as "workflows.account_id")
      .selectAll(table as "workflows")
      .where(`${table}.id` as "workflows.id", "=", id)
      .where("accounts.organization_id", "=", organizationId)
      .where("accounts.environment", "=", environment),
  ) as unknown as ReturnType<typeof precompiled<[string, string, string], Database[Table]>>;

export const hotQueries = {
  organization: byId("organizations"),
  account: byId("accounts"),
  subjectRecord: byId("subject_records"),
  workflow: byId("workflows"),
  visibleAccount: precompiled(
    3,
    (db: Kysely<Database>, id: string, organizationId: string, environment: string) =>
      db
        .selectFrom("accounts")
        .selectAll()
        .where("id", "=", id)
        .where("organization_id", "=", organizationId)
        .where("environment", "=", environment),
  ),
  visibleSubjectRecord: visibleByAccount("subject_records"),
  visibleWorkflow: visibleByAccount("workflows"),
  credential: precompiled(1, (db: Kysely<Database>, apiKey: string) =>
    db.selectFrom("credentials").selectAll().where("api_key", "=", apiKey),
  ),
  pricingModelInAccount: precompiled(2, (db: Kysely<Database>, accountId: string, id: string) =>
    db.selectFrom("pricing_models").select("id").where("id", "=", id).where("account_id", "=", accountId),
  ),
  equipmentCollectionInAccount: precompiled(2, (db: Kysely<Database>, accountId: string, id: string) =>
    db
      .selectFrom("equipment_collections")
      .select("id")
      .where("id", "=", id)
      .where("account_id", "=", accountId),
  ),
  workflowOfType: precompiled(2, (db: Kysely<Database>, subjectRecordId: string, type: string) =>
    db
      .selectFrom("workflows")
      .select("id")
      .where("subject_record_id", "=", subjectRecordId)
      .where("type", "=", type)
      .limit(1),
  ),
  applicationWithEmail: precompiled(2, (db: Kysely<Database>, accountId: string, emailLower: string) =>
    db
      .selectFrom("workflows")
      .select("id")
      .where("account_id", "=", accountId)
      .where("applying_user_email_lower", "=", emailLower)
      .where("type", "=", "BUSINESS_APPLICATION")
      .limit(1),
  ),
  insertSubjectRecord: insertRow<"subject_records", SubjectRecordsTable>(
    "subject_records",
    columnsOf<SubjectRecordsTable>({
      id: true,
      account_id: true,
      type: true,
      created_at: true,
      updated_at: true,
    }),
  ),
  insertWorkflow: insertRow<"workflows", WorkflowsTable>("workflows", WORKFLOW_COLUMNS),
  insertEvent: insertRow<"events", EventsTable>("events", EVENT_COLUMNS),
  /**
   * The event's outbox rows (webhooks.md "Delivery"): one per endpoint of its account active now,
   * due at once. Run in the event's transaction, so an event is never committed without them.
   */
  fanOutEvent: precompiled(3, (db: Kysely<Database>, eventId: string, accountId: string, createdAt: string) =>
    db
      .insertInto("webhook_deliveries")
      .columns(DELIVERY_COLUMNS)
      .expression((eb) =>
        eb
          .selectFrom("webhook_configs")
          .select([
            // Cast: PostgreSQL cannot type a bare parameter in a select list.
            sql<string>`cast(${eventId} as text)`.as("event_id"),
            "id as config_id",
            "account_id",
            sql.lit("PENDING").as("status"),
            sql.lit(0).as("attempt_count"),
            sql<string>`cast(${createdAt} as text)`.as("next_attempt_at"),
            sql<string>`cast(${createdAt} as text)`.as("created_at"),
            sql<string>`cast(${createdAt} as text)`.as("updated_at"),
          ])
          .where("account_id", "=", accountId)
          .where("deleted_at", "is", null),
      ),
  ),
  /** Insert, or take over a row whose previous sighting is outside the window: one statement. */
  claimNonce: precompiled(
    4,
    (db: Kysely<Database>, apiKey: string, nonce: string, now: string, seenSince: string) =>
      db
        .insertInto("nonces")
        .values({ api_key: apiKey, nonce, seen_at: now })
        .onConflict((oc) =>
          oc
            .columns(["api_key", "nonce"])
            .doUpdateSet({ seen_at: now })
            .where(sql.ref("nonces.seen_at"), "<", seenSince),
        )
        .returning("nonce"),
  ),
};
