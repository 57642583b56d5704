/**
 * The SQLite writer thread (src/store/speed-ups/sqlite-writer.ts), which `serve` uses: stand-alone writes
 * and workflow.create run on a thread of their own, so a write waiting for the lock or for its
 * fsync leaves the serving event loop free; transactions written as closures send their queries
 * there too, so only one connection ever writes; errors come back as the same domain and driver
 * errors. (test/sqlite-write-routing.test.ts checks that every write takes this path.)
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { isDatabaseUnavailable } from "../src/store/availability.js";
import { startSqliteWriter } from "../src/store/speed-ups/sqlite-writer.js";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { tempDir } from "./support/databases.js";
import { holdLockElsewhere } from "./support/sqlite-lock.js";
import {
  event,
  isRuleError,
  organization,
  seedAccount,
  subjectRecord,
  workflow,
} from "./support/store-fixtures.js";

/** The temporary directories made here, removed when the file's tests end. */
const madeDirs: string[] = [];
after(() => {
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A path for a new SQLite file in a fresh temporary directory. */
function newDatabaseFile(): string {
  const dir = tempDir("vetted-writer-");
  madeDirs.push(dir);
  return path.join(dir, "vetted.db");
}

async function openStore(options: { writerThread: boolean; busyTimeoutMs?: number }): Promise<Store> {
  const store = openSqliteStore({ path: newDatabaseFile(), ...options });
  await store.migrate();
  return store;
}

/** How many times a 10 ms timer fired on this thread while `work` ran. */
async function timerTicksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe("SQLite writer thread [sqlite]", () => {
  const stores: Store[] = [];
  after(async () => {
    for (const store of stores) await store.close();
  });
  const open = async (options: { writerThread: boolean; busyTimeoutMs?: number }) => {
    const store = await openStore(options);
    stores.push(store);
    return store;
  };

  it("keeps the event loop running while a write waits for a lock held elsewhere", async () => {
    const file = newDatabaseFile();
    const threaded = openSqliteStore({ path: file, writerThread: true });
    stores.push(threaded);
    await threaded.migrate();
    await threaded.insertOrganization(organization()); // the writer thread is up
    await holdLockElsewhere(file, 600);
    const org = organization();
    const ticks = await timerTicksDuring(() => threaded.insertOrganization(org));
    // The write waited about 600 ms in the writer thread's busy handler; the timer kept firing.
    assert.ok(ticks >= 20, `the timer fired ${ticks} times in about 600 ms`);
    assert.deepEqual(await threaded.getOrganization(org.id), org);

    // For contrast, the same wait on the serving thread blocks it: the timer barely fires.
    const inThread = openSqliteStore({ path: file, writerThread: false });
    stores.push(inThread);
    await holdLockElsewhere(file, 600);
    const blockedTicks = await timerTicksDuring(() => inThread.insertOrganization(organization()));
    assert.ok(blockedTicks <= 5, `the timer fired ${blockedTicks} times while the thread was blocked`);
  });

  it("closure transactions and stand-alone writes at once never wait in the busy handler (busy timeout 0)", async () => {
    // With no busy timeout, any overlap of the two connections' write transactions would fail at
    // once with SQLITE_BUSY; one connection doing all the writing is what prevents it.
    const store = await open({ writerThread: true, busyTimeoutMs: 0 });
    const acc = await seedAccount(store);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const record = subjectRecord(acc.id);
      const wf = workflow(record, "ACCOUNT_PROVISIONING");
      if (i % 2 === 0) {
        writes.push(
          store.transaction(async (tx) => {
            await tx.insertSubjectRecord(record);
            await tx.insertWorkflow({ workflow: wf, emailClaim: null });
            await tx.insertEvent(event(wf));
          }),
        );
      } else {
        writes.push(store.insertSubjectRecord(record).then(() => store.insertOrganization(organization())));
      }
    }
    const outcomes = await Promise.allSettled(writes);
    const failures = outcomes.filter((o) => o.status === "rejected");
    assert.deepEqual(failures, []);
  });

  it("returns a rule-index violation as the same domain error", async () => {
    const store = await open({ writerThread: true });
    const acc = await seedAccount(store);
    const record = subjectRecord(acc.id);
    await store.insertSubjectRecord(record);
    await store.insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null });
    await assert.rejects(
      store.insertWorkflow({ workflow: workflow(record, "BUSINESS_APPLICATION"), emailClaim: null }),
      isRuleError("SYSTEM_RULE_VIOLATION", "SUBJECT_RECORD_WORKFLOW_TYPE_LIMIT"),
    );
  });

  it("returns a lock held past the busy timeout as SQLITE_BUSY, which the server answers with 503", async () => {
    const file = newDatabaseFile();
    const store = openSqliteStore({ path: file, writerThread: true, busyTimeoutMs: 100 });
    stores.push(store);
    await store.migrate();
    await store.insertOrganization(organization()); // the writer thread is up
    await holdLockElsewhere(file, 1000);
    const error = await store.insertOrganization(organization()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error, "the write failed");
    assert.match(String((error as { code?: string }).code), /^SQLITE_BUSY/);
    assert.ok(isDatabaseUnavailable(error));
  });

  it("finishes the writes in flight before close() returns", async () => {
    const file = newDatabaseFile();
    const store = openSqliteStore({ path: file, writerThread: true });
    await store.migrate();
    const orgs = Array.from({ length: 20 }, () => organization());
    const writes = orgs.map((org) => store.insertOrganization(org));
    await store.close();
    await Promise.all(writes);
    const reopened = openSqliteStore({ path: file });
    stores.push(reopened);
    for (const org of orgs) assert.deepEqual(await reopened.getOrganization(org.id), org);
  });
});

describe("SQLite writer thread, when it dies or is stopped [sqlite]", () => {
  async function migratedFile(): Promise<string> {
    const file = newDatabaseFile();
    const setup = openSqliteStore({ path: file });
    await setup.migrate();
    await setup.close();
    return file;
  }

  it("fails the writes in flight, answers 503 while down, and serves the next ones from a new thread", async () => {
    const file = await migratedFile();
    const writer = startSqliteWriter(file, 5000);
    try {
      const first = organization();
      await writer.call("insertOrganization", [first]);
      const inFlight = writer.call("insertOrganization", [organization()]);
      await writer.crash();
      await assert.rejects(inFlight, (error: Error) => isDatabaseUnavailable(error));
      // Until the new thread is up, writes (and readiness) fail fast as "unavailable", never hang.
      assert.throws(
        () => writer.assertRunning(),
        (error: Error) => isDatabaseUnavailable(error),
      );
      let next = organization();
      for (let attempt = 0; ; attempt++) {
        const outcome = await writer.call("insertOrganization", [next]).then(
          () => "ok",
          (error: Error) => error,
        );
        if (outcome === "ok") break;
        assert.ok(isDatabaseUnavailable(outcome), String(outcome));
        assert.ok(attempt < 200, "the writer thread came back");
        next = organization();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      writer.assertRunning();
      const check = openSqliteStore({ path: file });
      assert.deepEqual(await check.getOrganization(next.id), next);
      assert.deepEqual(await check.getOrganization(first.id), first);
      await check.close();
    } finally {
      await writer.stop();
    }
  });

  it("fails an open closure transaction when the thread dies, and commits none of it", async () => {
    const file = await migratedFile();
    const writer = startSqliteWriter(file, 5000);
    try {
      const transaction = await writer.begin();
      const lost = organization();
      await transaction.call("insertOrganization", [lost]);
      await writer.crash();
      await assert.rejects(transaction.call("getOrganization", [lost.id]), (error: Error) =>
        isDatabaseUnavailable(error),
      );
      await assert.rejects(transaction.end(true), (error: Error) => isDatabaseUnavailable(error));
      const check = openSqliteStore({ path: file });
      assert.equal(await check.getOrganization(lost.id), undefined);
      await check.close();
    } finally {
      await writer.stop();
    }
  });

  it("refuses an argument it cannot send, without leaving a call waiting", async () => {
    const writer = startSqliteWriter(await migratedFile(), 5000);
    try {
      await assert.rejects(writer.call("insertOrganization", [{ id: "org_x", toString() {} }]), {
        name: "DataCloneError",
      });
    } finally {
      await writer.stop();
    }
  });

  it("finishes queued closure transactions on close(), and refuses writes after it", async () => {
    const file = await migratedFile();
    const store = openSqliteStore({ path: file, writerThread: true });
    await store.insertOrganization(organization()); // the writer thread is up
    const inTransaction = organization();
    const transaction = store.transaction((tx) => tx.insertOrganization(inTransaction));
    const closing = store.close();
    await transaction;
    await closing;
    await assert.rejects(store.insertOrganization(organization()), /closed/);
    const check = openSqliteStore({ path: file });
    assert.deepEqual(await check.getOrganization(inTransaction.id), inTransaction);
    await check.close();
  });
});

describe("SQLite writer thread, misuse [sqlite]", () => {
  it("refuses a stand-alone write from inside a transaction closure instead of deadlocking", async () => {
    const file = newDatabaseFile();
    const store = openSqliteStore({ path: file, writerThread: true });
    await store.migrate();
    try {
      await assert.rejects(
        store.transaction(() => store.insertOrganization(organization())),
        /would deadlock: use its tx/,
      );
      // Nothing is stuck: writes from outside and from a transaction's tx go on.
      const outside = organization();
      await store.insertOrganization(outside);
      const inside = organization();
      await store.transaction((tx) => tx.insertOrganization(inside));
      assert.deepEqual(await store.getOrganization(outside.id), outside);
      assert.deepEqual(await store.getOrganization(inside.id), inside);
      // The mark is dropped once no closure runs (runClosure) and set again by the next closure.
      await assert.rejects(
        store.transaction(() => store.insertOrganization(organization())),
        /would deadlock: use its tx/,
      );
    } finally {
      await store.close();
    }
  });
});
