/**
 * Every SQLite write runs on the writer thread, as `serve` runs the store. The names come from
 * the one object that defines the writes (`sqliteWritesOn`), so a write added there is checked
 * here without anyone listing it. Each is called with an argument that cannot cross to another
 * thread (a function): a call routed to the writer fails with DataCloneError before anything
 * runs; a call that ran on the serving thread would fail otherwise, or succeed.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Organization } from "../src/domain/records.js";
import { openSqliteConnection, sqliteTxOn, sqliteWritesOn } from "../src/store/sqlite/connection.js";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { tempDir } from "./support/databases.js";
import { organization } from "./support/store-fixtures.js";

/** The names of every write, and of every query a transaction closure may call, from their definitions. */
const scratch = openSqliteConnection(":memory:");
const WRITE_NAMES = Object.keys(sqliteWritesOn(scratch));
const TX_NAMES = Object.keys(sqliteTxOn(scratch));
after(() => scratch.destroy());

/** Cannot be structured-cloned: postMessage refuses it. */
const UNSENDABLE = () => undefined;

/** Calls `target`'s method `name` with arguments that cannot cross to another thread. */
function callUnsendable(target: object, name: string): Promise<unknown> {
  const method: unknown = (target as Record<string, unknown>)[name];
  if (typeof method !== "function") return Promise.reject(new Error(`${name} is missing`));
  return method.call(target, UNSENDABLE, UNSENDABLE, UNSENDABLE, UNSENDABLE);
}

async function outcomeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "ran on the serving thread";
  } catch (error) {
    return (error as Error).name === "DataCloneError" ? "sent to the writer" : `failed: ${String(error)}`;
  }
}

describe("SQLite write routing, writer thread on [sqlite]", () => {
  const dir = tempDir("vetted-routing-");
  let store: Store;
  before(async () => {
    store = openSqliteStore({ path: path.join(dir, "vetted.db"), writerThread: true });
    await store.migrate();
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sends every stand-alone write to the writer thread", async () => {
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const name of WRITE_NAMES) {
      outcomes[name] = await outcomeOf(() => callUnsendable(store, name));
      expected[name] = "sent to the writer";
    }
    assert.deepEqual(outcomes, expected);
  });

  it("runs every call of a transaction closure, reads too, on the writer thread", async () => {
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const name of TX_NAMES) {
      outcomes[name] = await outcomeOf(() => store.transaction((tx) => callUnsendable(tx, name)));
      expected[name] = "sent to the writer";
    }
    assert.deepEqual(outcomes, expected);
  });

  it("serves reads from a connection SQLite opened read-only, so no write can go around the writer", async () => {
    const file = path.join(dir, "vetted.db");
    const serving = openSqliteConnection(file, 1000, { readonly: true });
    try {
      assert.deepEqual(await serving.selectFrom("organizations").select("id").limit(1).execute(), []);
      await assert.rejects(
        serving
          .insertInto("organizations")
          .values({ id: "org_x", name: "x", created_at: "2025-01-01T00:00:00.000Z" })
          .execute(),
        { code: "SQLITE_READONLY" },
      );
    } finally {
      await serving.destroy();
    }
  });

  it("an unsendable write sent with others in one message fails alone", async () => {
    // Started in one turn: they leave for the writer in one message (sqlite-writer.ts).
    const good: [Organization, Organization] = [organization(), organization()];
    const [first, unsendable, second] = await Promise.allSettled([
      store.insertOrganization(good[0]),
      callUnsendable(store, "insertOrganization"),
      store.insertOrganization(good[1]),
    ]);
    assert.equal(first.status, "fulfilled");
    assert.equal(second.status, "fulfilled");
    assert.equal(unsendable.status === "rejected" && (unsendable.reason as Error).name, "DataCloneError");
    for (const org of good) assert.deepEqual(await store.getOrganization(org.id), org);
  });
});
