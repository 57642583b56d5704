/**
 * The SQLite WAL stays small under continuous writes (issue 12 item 9). PASSIVE checkpoints alone
 * never let SQLite start the WAL over while writes keep coming, so it grew by every page every
 * create wrote (94 MB after 4,000 creates in the bench). Measured structurally: the -wal file's
 * size after each create, over thousands of creates kept in flight through the store `serve`
 * opens (writer thread, checkpointer), with a small restart size so the bound is far below what
 * the old code reached.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { tempDir } from "./support/databases.js";
import { createAnswer, createPlan, seedAccount } from "./support/store-fixtures.js";

const CREATES = 2000;
const CONCURRENCY = 16;
const RESTART_BYTES = 256 * 1024;

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

describe("SQLite WAL size under continuous creates [sqlite]", () => {
  const dir = tempDir("vetted-wal-");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`stays near the restart size over ${CREATES} creates, ${CONCURRENCY} in flight`, async () => {
    const file = path.join(dir, "vetted.db");
    const store = openSqliteStore({ path: file, writerThread: true, walRestartBytes: RESTART_BYTES });
    try {
      await store.migrate();
      const acc = await seedAccount(store, { allow_multiple_applications_per_email: false });
      let next = 0;
      let largest = 0;
      const worker = async () => {
        while (next < CREATES) {
          const n = next++;
          const plan = createPlan(acc, n % 2 === 0 ? { email: `wal.${n}@example.com` } : {});
          assert.equal(await createAnswer(store, plan), "ok");
          largest = Math.max(largest, sizeOf(`${file}-wal`));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      // The restart size plus the batch that crossed it (at most CONCURRENCY creates, about
      // 100 KiB) and the journal size limit SQLite truncates back to, with room to spare. The old
      // code's WAL held every page written since the last quiet moment: about 10 MiB here.
      const bound = 4 * RESTART_BYTES;
      assert.ok(
        largest <= bound,
        `the WAL reached ${(largest / 1024).toFixed(0)} KiB over ${CREATES} creates (bound ${bound / 1024} KiB)`,
      );
    } finally {
      await store.close();
    }
  });
});
