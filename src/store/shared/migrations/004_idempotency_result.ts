import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * The result a write request's unit of work committed, stored in the same transaction as its
 * effects (state "committed"), with the trace ID it answered under: should the response itself be
 * lost (a crash, a failure after the commit), a retry with the same Idempotency-Key is answered
 * from it instead of writing again.
 */
export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema.alterTable("idempotency_keys").addColumn("result", "text").execute();
  await db.schema.alterTable("idempotency_keys").addColumn("trace_id", "text").execute();
}
