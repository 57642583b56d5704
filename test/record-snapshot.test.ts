/**
 * How workflow.complete and workflow.canComplete reach the completion requirements (data.md §14,
 * §3.4), on a recording stand-in for the store: the account's keys, the record's snapshot, the
 * subject record's lock taken before either is read, and the refusal carrying its items. (Until
 * migrations 005 and 006 land, the real store answers an empty list and an empty record; the
 * method tests cover that path on both databases.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RecordData } from "../src/domain/completion-requirements.js";
import type { CompletionSettings, DomainStore } from "../src/domain/domain-store.js";
import { loadRecordSnapshot, unmetRequirements } from "../src/domain/record-snapshot.js";
import type { Workflow } from "../src/domain/records.js";
import { completeWorkflow } from "../src/domain/workflow-changes.js";
import { ApiError } from "../src/errors.js";

const NOW = "2025-03-24T12:00:00.000Z";

const workflow: Workflow = {
  id: "w_1",
  account_id: "sb_1",
  subject_record_id: "sr_1",
  type: "BUSINESS_APPLICATION",
  state: "STARTED",
  details: {
    applying_user: { email: "ann@example.com", first_name: null, last_name: null },
    pricing_model_id: null,
    equipment_collection_id: null,
    referrer_value: null,
  },
  started_at: NOW,
  ended_at: null,
  created_at: NOW,
  updated_at: NOW,
};

const EMPTY_RECORD: RecordData = { business: null, owners: [], business_bank_accounts: [], sales_info: null };

/** A store that answers from `settings` and `data` and records the calls §14 cares about. */
function recordingStore(settings: CompletionSettings, data: RecordData = EMPTY_RECORD) {
  const calls: string[] = [];
  /** A call recorded under `name`, answering `value`. */
  const recorded =
    <T>(name: string, value: T) =>
    async (id?: string) => {
      calls.push(id === undefined ? name : `${name} ${id}`);
      return value;
    };
  const store = {
    getVisibleWorkflow: async () => workflow,
    lockSubjectRecord: recorded("lock", undefined),
    readCompletionSettings: recorded("settings", settings),
    readRecordData: recorded("data", data),
    transitionWorkflow: async () => recorded("transition", true)(),
    insertEvent: async () => recorded("event", undefined)(),
    insertWorkflow: async () => recorded("workflow", undefined)(),
  };
  // The cast: a stand-in with only the calls these procedures make.
  return { store: store as unknown as DomainStore, calls };
}

const change = {
  scope: { organization_id: "org_1", environment: "sandbox" as const, account_ids: null },
  actor: "SYSTEM" as const,
  workflowId: workflow.id,
  now: NOW,
};

describe("completion requirements, read and judged (record-snapshot.ts)", () => {
  it("workflow.complete locks the subject record, then reads and refuses with the items", async () => {
    const settings = { completion_requirements: ["SALES_INFO", "BUSINESS"], locations_enabled: true };
    const { store, calls } = recordingStore(settings);
    const refusal = await completeWorkflow(store, change).then(
      () => assert.fail("completed"),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof ApiError);
    assert.equal(refusal.status, 400);
    assert.deepEqual(
      refusal.toWire().map((e) => [e.code, e.message, e.missing_requirements?.map((i) => i.requirement)]),
      [["MISSING_REQUIREMENTS", "The workflow cannot be completed yet.", ["SALES_INFO", "BUSINESS"]]],
    );
    assert.deepEqual(calls, ["lock sr_1", "settings sb_1", "data sr_1"], "nothing written");
  });

  it("workflow.complete ends the workflow once every key is met", async () => {
    const { store, calls } = recordingStore({
      completion_requirements: ["BUSINESS_LOCATION"],
      locations_enabled: true,
    });
    await completeWorkflow(store, change);
    assert.deepEqual(calls, [
      "lock sr_1",
      "settings sb_1",
      "data sr_1",
      "transition",
      "event",
      "workflow",
      "event",
    ]);
  });

  it("an empty list needs none of the record's data", async () => {
    const { store, calls } = recordingStore({ completion_requirements: [], locations_enabled: true });
    assert.deepEqual(await unmetRequirements(store, workflow, "2025-03-24"), []);
    assert.deepEqual(calls, ["settings sb_1"]);
  });

  it("an unknown stored key is refused, never skipped", async () => {
    const { store } = recordingStore({
      completion_requirements: ["BUSINESS", "NO_SUCH_KEY"],
      locations_enabled: true,
    });
    await assert.rejects(
      unmetRequirements(store, workflow, "2025-03-24"),
      /unknown completion requirement key NO_SUCH_KEY/,
    );
  });

  it("the location part is there only once the store reads location associations", async () => {
    const disabled = { completion_requirements: ["BUSINESS_LOCATION"], locations_enabled: false };
    const before = await loadRecordSnapshot(recordingStore(disabled).store, workflow, disabled);
    assert.deepEqual(before, { workflow: { id: "w_1", state: "STARTED" }, ...EMPTY_RECORD });
    const { store } = recordingStore(disabled, { ...EMPTY_RECORD, has_business_location: false });
    const after = await loadRecordSnapshot(store, workflow, disabled);
    assert.deepEqual(after.locations, { enabled: false, has_business_location: false });
    const enabled = { ...disabled, locations_enabled: true };
    const missing = await unmetRequirements(
      recordingStore(enabled, { ...EMPTY_RECORD, has_business_location: false }).store,
      workflow,
      "2025-03-24",
    );
    assert.deepEqual(
      missing.map((i) => i.requirement),
      ["BUSINESS_LOCATION"],
    );
  });
});
