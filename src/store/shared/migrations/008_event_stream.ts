import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * The live event stream's position (webhooks.md "Live event stream", docs/webhooks.md "Event
 * stream"): a reader follows it and must never skip an event that commits late.
 *
 * - SQLite has one writer, so "the next number when the row is inserted" is commit order: a trigger
 *   gives every new event `max(stream_seq) + 1` inside its own write transaction, whatever path
 *   inserted it (the repository, the create batch, a test's direct insert).
 * - PostgreSQL commits concurrent transactions in any order, so a number alone could be read past
 *   while a smaller one is still uncommitted. Each event keeps the ID of the transaction that wrote
 *   it (`stream_txid`, a default, so no insert names it) and an identity (`stream_seq`); a reader
 *   reads only below its snapshot's xmin, where every transaction has ended, in (txid, seq) order.
 *
 * Existing events get positions in (created_at, id) order: they are all committed, any fixed order
 * is correct for them.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  if (dialect === "postgres") {
    // Numbered in (created_at, id) order first, then an identity that goes on from the last number.
    await sql`alter table events add column stream_seq bigint`.execute(db);
    await sql`update events set stream_seq = ranked.position
      from (select id, row_number() over (order by created_at, id) as position from events) as ranked
      where ranked.id = events.id`.execute(db);
    await sql`alter table events alter column stream_seq set not null`.execute(db);
    await sql`alter table events alter column stream_seq add generated always as identity`.execute(db);
    await sql`select setval(pg_get_serial_sequence('events', 'stream_seq'), coalesce(max(stream_seq), 0) + 1, false)
      from events`.execute(db);
    await sql`alter table events add column stream_txid xid8 not null default pg_current_xact_id()`.execute(
      db,
    );
    await sql`create index events_stream_by_account on events (account_id, stream_txid, stream_seq)`.execute(
      db,
    );
    return;
  }
  await sql`alter table events add column stream_seq integer`.execute(db);
  // One pass with a window function: a correlated count would be quadratic in the events held.
  await sql`update events set stream_seq = ranked.position
    from (select id, row_number() over (order by created_at, id) as position from events) as ranked
    where ranked.id = events.id`.execute(db);
  await sql`create unique index events_stream_seq on events (stream_seq)`.execute(db);
  await sql`create index events_stream_by_account on events (account_id, stream_seq)`.execute(db);
  await sql`create trigger events_stream_seq after insert on events
    begin
      update events set stream_seq = (select coalesce(max(stream_seq), 0) + 1 from events)
      where rowid = new.rowid;
    end`.execute(db);
}
