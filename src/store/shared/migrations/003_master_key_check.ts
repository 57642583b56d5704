import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * One row: a fixed value sealed under the master key at first start, so a process holding another
 * key finds out at start (and refuses) instead of failing every signed request.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const key = dialect === "postgres" ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable("master_key_check")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("created_at", key, (c) => c.notNull())
    .execute();
}
