import type { DatabaseTarget } from "../config.js";
import { openPostgresStore } from "./postgres.js";
import { openSqliteStore } from "./sqlite.js";
import type { Store } from "./store.js";

/** The only place that chooses an adapter. */
export function openStore(
  target: DatabaseTarget,
  options: { poolSize?: number; sqliteWriterThread?: boolean; onCreateBatch?(size: number): void } = {},
): Store {
  return target.kind === "sqlite"
    ? openSqliteStore({ path: target.path, writerThread: options.sqliteWriterThread })
    : openPostgresStore({
        url: target.url,
        poolSize: options.poolSize,
        onCreateBatch: options.onCreateBatch,
      });
}
