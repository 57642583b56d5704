/**
 * Migration 008 on a database that already holds events: they get stream positions in
 * (created_at, id) order, in one pass, and events written afterwards follow them, so a stream
 * resumed from an old event's ID sees every later one.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { newId } from "../src/domain/ids.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/databases.js";
import { migratedTo } from "./support/migrations.js";
import { at, event, account as newAccount, subjectRecord, workflow } from "./support/store-fixtures.js";

for (const kind of databaseKinds()) {
  describe(`migration 008 on existing events [${kind}]`, () => {
    let database: TestDatabase;
    let store: Store;
    const organizationId = newId("organization");
    const old = newAccount(organizationId);
    const record = subjectRecord(old.id);
    const application = workflow(record, "BUSINESS_APPLICATION");
    // Inserted in an order unlike their times: the positions must follow the times.
    const events = [3, 1, 2].map((minute) => event(application, { created_at: at(minute) }));

    before(async () => {
      database = await createTestDatabase(kind);
      const db = await migratedTo(database, 7);
      await sql`insert into organizations (id, name, created_at) values (${organizationId}, 'Old', ${at(0)})`.execute(
        db,
      );
      await sql`insert into accounts (id, organization_id, environment, name, allow_multiple_applications_per_email, created_at, updated_at)
        values (${old.id}, ${organizationId}, 'sandbox', ${old.name}, 1, ${old.created_at}, ${old.updated_at})`.execute(
        db,
      );
      for (const e of events) {
        await sql`insert into events (id, event_type, account_id, subject_record_id, workflow_id, workflow_type, actor_type, actor_id, created_at)
          values (${e.id}, ${e.event_type}, ${old.id}, ${record.id}, ${application.id}, 'BUSINESS_APPLICATION', 'API_KEY', ${e.actor_id}, ${e.created_at})`.execute(
          db,
        );
      }
      await db.destroy();
      store = openStore(database.target);
      // The first one applied; later migrations (010_metadata, …) follow it.
      assert.equal((await store.migrate())[0], "008_event_stream");
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    it("existing events are streamed after an old one in time order, then new ones", async () => {
      const byTime = [...events].sort((a, b) => a.created_at.localeCompare(b.created_at));
      const first = await store.eventStreamPositionOf(old.id, byTime[0]?.id ?? "", at(0));
      assert.ok(first, "the oldest event has a position");
      const later = event(application, { created_at: at(0) });
      await store.transaction((tx) => tx.insertEvent(later));
      const streamed = await store.eventStreamAfter(old.id, first, 10);
      // The new event comes last although its time is the earliest: the stream is commit order.
      assert.deepEqual(
        streamed.map((s) => s.event.id),
        [byTime[1]?.id, byTime[2]?.id, later.id],
      );
    });
  });
}
