/**
 * Migration 005 on a database that was at migration 004 with data in it: existing accounts get
 * the data.md §3.6 defaults but `completion_requirements: []` (their completion behaviour does not
 * change), existing read-only credentials may not unmask and the others may, and existing events
 * read back unchanged while new ones may belong to no workflow. New accounts get the default list.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { defaultAccountDataSettings } from "../src/domain/account-settings.js";
import { newId } from "../src/domain/ids.js";
import { openStore } from "../src/store/open.js";
import { MIGRATIONS } from "../src/store/shared/migrations/index.js";
import type { Store } from "../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { migratedTo } from "./support/migrations.js";
import {
  at,
  credential,
  event,
  account as newAccount,
  subjectRecord,
  workflow,
} from "./support/store-fixtures.js";

const BEFORE_005 = 4;

for (const kind of databaseKinds()) {
  describe(`migration 005 on existing data [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    const organizationId = newId("organization");
    const old = newAccount(organizationId);
    const writer = credential(organizationId);
    const reader = credential(organizationId, { read_only: true, can_unmask: false });
    const record = subjectRecord(old.id);
    const application = workflow(record, "BUSINESS_APPLICATION");
    const created = event(application);
    let applied: string[] = [];

    before(async () => {
      database = await createTestDatabase(kind);
      const db = await migratedTo(database, BEFORE_005);
      // Rows as the tables of migration 004 hold them: no column of 005 yet.
      await sql`insert into organizations (id, name, created_at) values (${organizationId}, 'Old', ${at(0)})`.execute(
        db,
      );
      await sql`insert into accounts (id, organization_id, environment, name, allow_multiple_applications_per_email, created_at, updated_at)
        values (${old.id}, ${organizationId}, 'sandbox', ${old.name}, 1, ${old.created_at}, ${old.updated_at})`.execute(
        db,
      );
      for (const c of [writer, reader]) {
        await sql`insert into credentials (api_key, organization_id, environment, name, secret_key_sealed, auth_token_hash, signature_policy, read_only, account_ids, created_at, revoked_at)
          values (${c.api_key}, ${organizationId}, 'sandbox', ${c.name}, ${c.secret_key_sealed}, ${c.auth_token_hash}, 'strict', ${c.read_only ? 1 : 0}, null, ${c.created_at}, null)`.execute(
          db,
        );
      }
      await sql`insert into subject_records (id, account_id, type, created_at, updated_at)
        values (${record.id}, ${old.id}, 'BUSINESS', ${record.created_at}, ${record.updated_at})`.execute(db);
      await sql`insert into workflows (id, account_id, subject_record_id, type, state, applying_user_email, applying_user_email_lower, created_at, updated_at)
        values (${application.id}, ${old.id}, ${record.id}, 'BUSINESS_APPLICATION', 'CREATED', 'ann@example.com', 'ann@example.com', ${application.created_at}, ${application.updated_at})`.execute(
        db,
      );
      await sql`insert into events (id, event_type, account_id, subject_record_id, workflow_id, workflow_type, actor_type, actor_id, created_at)
        values (${created.id}, ${created.event_type}, ${old.id}, ${record.id}, ${application.id}, 'BUSINESS_APPLICATION', 'API_KEY', ${created.actor_id}, ${created.created_at})`.execute(
        db,
      );
      await db.destroy();
      store = openStore(database.target);
      applied = await store.migrate();
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it("applies 005 and what follows it", () => {
      assert.equal(applied[0], "005_account_data_settings");
      assert.deepEqual(
        applied.map((name) => Number(name.slice(0, 3))),
        MIGRATIONS.filter((m) => m.version > BEFORE_005).map((m) => m.version),
      );
    });

    it("an existing account gets the defaults but an empty requirement list", async () => {
      const expected = { ...defaultAccountDataSettings(), completion_requirements: [] };
      assert.deepEqual(await store.getAccount(old.id), { ...old, ...expected });
      assert.deepEqual(await store.getAccountDataSettings(old.id), expected);
    });

    it("a new account gets the default list", async () => {
      const fresh = newAccount(organizationId);
      await store.insertAccount(fresh);
      assert.deepEqual((await store.getAccountDataSettings(fresh.id))?.completion_requirements, [
        "BUSINESS",
        "BUSINESS_FIELDS",
        "CONTROL_PRONG_OWNER",
        "PRIMARY_BANK_ACCOUNT",
        "SALES_INFO",
      ]);
    });

    it("existing read-only credentials may not unmask; the others may", async () => {
      assert.equal((await store.getCredential(writer.api_key))?.can_unmask, true);
      assert.equal((await store.getCredential(reader.api_key))?.can_unmask, false);
      assert.deepEqual(await store.getCredential(reader.api_key), reader);
    });

    it("existing events read back unchanged; an event may now belong to no workflow", async () => {
      assert.deepEqual(await store.listEvents({ workflowId: application.id }), [created]);
      const audit = event(application, {
        event_type: "SENSITIVE_DATA_ACCESSED",
        workflow_id: null,
        workflow_type: null,
        created_at: at(9),
        payload: { method: "business.get", entities: [] },
      });
      await store.insertEvent(audit);
      assert.deepEqual(await store.listEvents({ accountId: old.id }), [created, audit]);
    });
  });
}
