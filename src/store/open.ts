import type { DatabaseTarget } from "../config.js";
import { openPostgresStore } from "./postgres/postgres-store.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

export interface OpenStoreOptions {
  poolSize?: number;
  sqliteWriterThread?: boolean;
  onCreateBatch?(size: number): void;
  /**
   * false opens the plain path: no PostgreSQL create batch, no SQLite writer thread or group
   * commit; every unit of work (workflow.create included) runs in a transaction of its own. The
   * differential test (test/store-differential.test.ts) holds the speed-ups to its answers.
   */
  speedUps?: boolean;
}

/** The only place that chooses an adapter. */
export function openStore(target: DatabaseTarget, options: OpenStoreOptions = {}): Store {
  const speedUps = options.speedUps ?? true;
  return target.kind === "sqlite"
    ? openSqliteStore({ path: target.path, writerThread: options.sqliteWriterThread, speedUps })
    : openPostgresStore({
        url: target.url,
        poolSize: options.poolSize,
        onCreateBatch: options.onCreateBatch,
        speedUps,
      });
}
